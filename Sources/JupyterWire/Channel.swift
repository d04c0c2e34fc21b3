/// The four message channels of a Jupyter kernel (the heartbeat carries raw bytes, not messages).
public enum Channel: String, Sendable, CaseIterable {
    case shell, control, stdin, iopub
}
