"""The network's home in Teams: the channel and personal tabs, server-rendered pages under /tab/.

Pages read through the same services and checks as the bot (membership, tenant, organiser
roles); every change stays with the bot's cards and commands.
"""
