import ReplyTensorCLI
print(ReplyTensorVersion.string)
