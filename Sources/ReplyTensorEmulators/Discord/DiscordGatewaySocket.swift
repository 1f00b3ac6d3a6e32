import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// The emulated Gateway's WebSocket endpoint (Hummingbird's WebSocket upgrade on the emulator's own port): `/` is
/// what `GET /gateway/bot` names, `/resume` what READY names as `resume_gateway_url`. Each socket gets Hello at
/// once; what the client sends goes to the state, what the state sends (dispatches, ACKs, op 7/9, close codes, a
/// cut connection) goes out through one writer task.
enum DiscordGatewaySocket {
    static func server(state: DiscordEmulatorState) -> HTTPServerBuilder {
        .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 20))) { request, channel, _ in
            let path = String((request.path ?? "/").prefix { $0 != "?" })
            guard path == "/" || path.hasPrefix("/resume") else {
                return .dontUpgrade
            }
            let onResumeURL = path.hasPrefix("/resume")
            return .upgrade([:]) { inbound, outbound, _ in
                let (stream, continuation) = AsyncStream<DiscordGatewayBook.Outgoing>.makeStream()
                let id = await state.gatewayOpen(continuation, onResumeURL: onResumeURL)
                await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await outgoing in stream {
                            switch outgoing {
                            case .text(let text):
                                try await outbound.write(.text(text))
                            case .close(let code):
                                try await outbound.close(.init(codeNumber: code), reason: nil)
                                return
                            case .drop:
                                try await channel.close().get()
                                return
                            }
                        }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { await state.gatewayReceive(id, text) }
                        }
                    }
                    defer { group.cancelAll() }
                    do {
                        _ = try await group.next()
                    } catch {
                        await state.gatewayClosed(id)
                        return
                    }
                }
                await state.gatewayClosed(id)
            }
        }
    }
}
