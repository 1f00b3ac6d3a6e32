enum DiscordPlaceholder {}
