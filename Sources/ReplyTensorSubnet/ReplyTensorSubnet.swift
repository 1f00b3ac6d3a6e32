enum ReplyTensorSubnetPlaceholder {}
