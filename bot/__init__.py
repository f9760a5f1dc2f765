"""The bot: the Teams edge (bot/teams), the registries (bot/routing) and the features."""
