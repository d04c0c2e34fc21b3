import KernelCore

/// `--kind` on the command line.
enum KernelKindArgument: String, CaseIterable {
    case pyspark, scala, sql

    var kind: KernelKind {
        switch self {
        case .pyspark: .pyspark
        case .scala: .scala
        case .sql: .sql
        }
    }
}
