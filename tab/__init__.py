"""The network's tab in Teams: pages served by the bot's web app under /tab/."""
