// Teams' themes on the page: from TeamsJS inside Teams, from ?theme= outside it.
import { setTheme } from "/tab/vendor/fluent/web-components-all.min.js";
import {
  teamsLightTheme,
  teamsDarkTheme,
  teamsHighContrastTheme,
} from "/tab/vendor/tokens/index.js";

const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };
const FROM_TEAMS = { default: "light", dark: "dark", contrast: "contrast" };

function apply(name) {
  const theme = THEMES[name] ? name : "light";
  document.documentElement.dataset.theme = theme;
  setTheme(THEMES[theme]);
}

apply(document.documentElement.dataset.theme);

const teams = window.microsoftTeams;
if (teams && window.parent !== window) {
  teams.app
    .initialize()
    .then(() => teams.app.getContext())
    .then((context) => {
      // The reader's Teams language, where the tab's URL did not carry it already.
      const url = new URL(window.location.href);
      const lang = url.searchParams.get("lang") || "";
      if ((!lang || lang.includes("{")) && context.app.locale) {
        url.searchParams.set("lang", context.app.locale);
        window.location.replace(url.toString());
        return;
      }
      apply(FROM_TEAMS[context.app.theme]);
      teams.app.registerOnThemeChangeHandler((theme) => apply(FROM_TEAMS[theme]));
      teams.app.notifySuccess();
    })
    .catch(() => {});
}
