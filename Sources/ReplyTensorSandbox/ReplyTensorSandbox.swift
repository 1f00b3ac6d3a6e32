enum ReplyTensorSandboxPlaceholder {}
