/// A cell split into what the kernel does itself (line magics, the cell magic) and the body it
/// sends to Spark.
public struct ParsedCell: Equatable, Sendable {
    public var lineMagics: [LineMagic]
    public var cellMagic: CellMagic?
    public var body: String
    /// The 1-based line of the cell where `body` starts, so errors can name lines of the cell.
    public var bodyLine: Int

    public init(lineMagics: [LineMagic] = [], cellMagic: CellMagic? = nil, body: String, bodyLine: Int = 1) {
        self.lineMagics = lineMagics
        self.cellMagic = cellMagic
        self.body = body
        self.bodyLine = bodyLine
    }
}
