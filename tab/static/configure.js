// The configurable tab's settings page: the chosen network becomes the tab's content.
const teams = window.microsoftTeams;
const form = document.getElementById("configure");
const select = document.getElementById("network");
const base = form.dataset.baseUrl;

if (teams && window.parent !== window) {
  teams.app.initialize().then(async () => {
    const context = await teams.app.getContext();
    const channel = context.channel && context.channel.id;
    const url = new URL(window.location.href);
    if (channel && !url.searchParams.has("channel")) {
      url.searchParams.set("channel", channel);
      window.location.replace(url.toString());
      return;
    }
    teams.pages.config.registerOnSaveHandler((saveEvent) => {
      const slug = select.value;
      const name = select.options[select.selectedIndex].text;
      teams.pages.config
        .setConfig({
          entityId: `netpuls-${slug}`,
          contentUrl: `${base}/tab/network/${slug}?lang={locale}&theme={theme}`,
          websiteUrl: `${base}/tab/network/${slug}`,
          suggestedDisplayName: name,
        })
        .then(() => saveEvent.notifySuccess())
        .catch((error) => saveEvent.notifyFailure(String(error)));
    });
    teams.pages.config.setValidityState(Boolean(select.value));
    select.addEventListener("change", () => teams.pages.config.setValidityState(Boolean(select.value)));
  });
}
