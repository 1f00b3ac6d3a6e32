enum TelegramPlaceholder {}
