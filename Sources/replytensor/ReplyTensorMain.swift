import ReplyTensorCLI

/// The `replytensor` executable: everything lives in ReplyTensorCLI so tests can reach it.
@main
enum ReplyTensorMain {
    static func main() async {
        await ReplyTensorCommand.main(nil)
    }
}
