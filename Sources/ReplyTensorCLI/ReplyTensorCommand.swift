public enum ReplyTensorVersion {
    public static let string = "0.1.0"
}
