/// The version `--version`, the User-Agent and the start-up log report.
public enum ReplyTensorVersion {
    public static let string = "0.1.0"
}
