using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// One row of the line table (the state-machine registers when a row is appended). A program holds
/// hundreds of thousands, so a row takes 32 bytes: file, column and discriminator are kept in 32
/// bits, the ISA in 16 and the flags in one byte; a larger value is refused when it is set.
/// </summary>
public record struct LineRow
{
    private uint _file;
    private uint _column;
    private uint _discriminator;
    private ushort _isa;
    private RowFlags _flags;

    public LineRow(ulong address, ulong file, ulong line, ulong column = 0)
    {
        Address = address;
        Line = line;
        File = file;
        Column = column;
        IsStmt = true;
    }

    [Flags]
    private enum RowFlags : byte
    {
        None = 0,
        IsStmt = 1,
        BasicBlock = 2,
        PrologueEnd = 4,
        EpilogueBegin = 8,
    }

    /// <summary>The largest file index, column and discriminator a row holds.</summary>
    public const ulong MaxNarrowValue = uint.MaxValue;

    /// <summary>The largest ISA a row holds.</summary>
    public const ulong MaxIsa = ushort.MaxValue;

    public ulong Address { get; set; }

    public ulong Line { get; set; }

    public ulong File
    {
        readonly get => _file;
        set => _file = (uint)Checked(value, MaxNarrowValue);
    }

    public ulong Column
    {
        readonly get => _column;
        set => _column = (uint)Checked(value, MaxNarrowValue);
    }

    public ulong Discriminator
    {
        readonly get => _discriminator;
        set => _discriminator = (uint)Checked(value, MaxNarrowValue);
    }

    public ulong Isa
    {
        readonly get => _isa;
        set => _isa = (ushort)Checked(value, MaxIsa);
    }

    public bool IsStmt
    {
        readonly get => Has(RowFlags.IsStmt);
        set => Set(RowFlags.IsStmt, value);
    }

    public bool BasicBlock
    {
        readonly get => Has(RowFlags.BasicBlock);
        set => Set(RowFlags.BasicBlock, value);
    }

    public bool PrologueEnd
    {
        readonly get => Has(RowFlags.PrologueEnd);
        set => Set(RowFlags.PrologueEnd, value);
    }

    public bool EpilogueBegin
    {
        readonly get => Has(RowFlags.EpilogueBegin);
        set => Set(RowFlags.EpilogueBegin, value);
    }

    private readonly bool Has(RowFlags flag) => (_flags & flag) != 0;

    private void Set(RowFlags flag, bool value) => _flags = value ? _flags | flag : _flags & ~flag;

    private static ulong Checked(ulong value, ulong max, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        if (value > max)
            ThrowTooLarge(value, max, name); // apart, so that the setters inline
        return value;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooLarge(ulong value, ulong max, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"a line row holds at most {max}");
}

/// <summary>A sequence of rows with increasing addresses, ended at <see cref="EndAddress"/> (the end_sequence row).</summary>
public sealed class LineSequence
{
    public LineSequence(ulong endAddress = 0) => EndAddress = endAddress;

    public ValueList<LineRow> Rows { get; } = new();

    public ulong EndAddress { get; set; }
}

/// <summary>A directory or file-name entry of a line program header; the path goes per <see cref="LineProgram.PathForm"/>.</summary>
public sealed record LineFile(string Path, ulong DirectoryIndex = 0)
{
    public ulong Timestamp { get; init; }

    public ulong Size { get; init; }

    /// <summary>16 bytes when the program has <see cref="LineProgram.HasMd5"/>.</summary>
    public ReadOnlyMemory<byte> Md5 { get; init; }
}

/// <summary>
/// A line program: header parameters, directory and file tables (as numbered in the version: in
/// DWARF 2–4 directory 0 and file 0 are implicit and not listed; in DWARF 5 they are the first
/// entries), and sequences of rows. The emitter encodes rows compactly with special opcodes.
/// </summary>
public sealed class LineProgram
{
    public LineProgram(ushort version, byte addressSize, DwarfFormat format = DwarfFormat.Dwarf32)
    {
        if (version is < 2 or > 5)
            throw new ArgumentOutOfRangeException(nameof(version), version, "line program versions 2 to 5 are supported");
        Version = version;
        AddressSize = addressSize;
        Format = format;
    }

    public ushort Version { get; }

    public byte AddressSize { get; }

    public DwarfFormat Format { get; }

    public byte MinimumInstructionLength { get; set; } = 1;

    public byte MaximumOperationsPerInstruction { get; set; } = 1;

    public bool DefaultIsStmt { get; set; } = true;

    public sbyte LineBase { get; set; } = -5;

    public byte LineRange { get; set; } = 14;

    public byte OpcodeBase { get; set; } = 13;

    /// <summary>DWARF 5: the form of directory and file paths: line_strp (default), strp or string.</summary>
    public DwForm PathForm { get; set; } = DwForm.DW_FORM_line_strp;

    /// <summary>DWARF 5: file entries carry DW_LNCT_MD5.</summary>
    public bool HasMd5 { get; set; }

    /// <summary>DWARF 5: file entries carry DW_LNCT_timestamp and DW_LNCT_size.</summary>
    public bool HasTimestampAndSize { get; set; }

    /// <summary>Include directories (DWARF 2–4: from index 1; DWARF 5: from index 0, the compilation directory).</summary>
    public List<string> Directories { get; } = [];

    /// <summary>File names (DWARF 2–4: from index 1; DWARF 5: from index 0, the primary source file).</summary>
    public List<LineFile> Files { get; } = [];

    /// <summary>Sequences built as rows. The emitter writes them after <see cref="EncodedSequences"/>.</summary>
    public List<LineSequence> Sequences { get; } = [];

    /// <summary>
    /// Sequences encoded as they were produced (the transformation pass streams rows through
    /// <see cref="StartEncoding"/> instead of keeping hundreds of thousands of them), or null.
    /// </summary>
    internal ByteBuffer? EncodedSequences { get; private set; }

    private LineSequenceEncoder? _encoder;

    /// <summary>False when a header parameter that the encoded sequences depend on changed after encoding began.</summary>
    internal bool EncodingMatchesHeader => _encoder is null || _encoder.Matches(this);

    /// <summary>The encoder that appends sequences to <see cref="EncodedSequences"/> (the header parameters must be final).</summary>
    internal LineSequenceEncoder StartEncoding(int expectedBytes)
    {
        if (_encoder is null)
        {
            EncodedSequences = new ByteBuffer(expectedBytes);
            _encoder = new LineSequenceEncoder(this, EncodedSequences);
        }

        return _encoder;
    }

    public LineSequence AddSequence(ulong endAddress = 0)
    {
        var sequence = new LineSequence(endAddress);
        Sequences.Add(sequence);
        return sequence;
    }

    /// <summary>
    /// Chooses <see cref="LineBase"/> and <see cref="LineRange"/> (keeping <see cref="OpcodeBase"/>)
    /// that minimize the encoded size of the rows, from a histogram of their (address advance, line
    /// delta) pairs. Call it when the header parameters need not be kept, on a program built from
    /// rows (a program the pass translated has its rows encoded already, and refuses a change).
    /// </summary>
    public void ChooseHeaderParameters()
    {
        var histogram = new Dictionary<(ulong Advance, long LineDelta), int>();
        foreach (var sequence in Sequences)
        {
            ulong address = sequence.Rows.Count > 0 ? sequence.Rows[0].Address : 0, line = 1;
            foreach (var row in sequence.Rows)
            {
                ulong advance = row.Address >= address ? (row.Address - address) / Math.Max((byte)1, MinimumInstructionLength) : 0;
                var key = (advance, (long)(row.Line - line));
                histogram[key] = histogram.GetValueOrDefault(key) + 1;
                address = row.Address;
                line = row.Line;
            }
        }

        if (histogram.Count == 0)
            return;
        long best = long.MaxValue;
        for (int lineBase = -8; lineBase <= 0; lineBase++)
        {
            for (int lineRange = Math.Max(2, 1 - lineBase); lineRange <= 32 && OpcodeBase + lineRange - 1 <= 255; lineRange++)
            {
                long size = 0;
                foreach (var ((advance, lineDelta), count) in histogram)
                    size += (long)count * RowSize(advance, lineDelta, lineBase, lineRange, OpcodeBase);
                if (size < best)
                {
                    best = size;
                    LineBase = (sbyte)lineBase;
                    LineRange = (byte)lineRange;
                }
            }
        }
    }

    /// <summary>Bytes the encoder spends on a row's address and line advance (mirrors <c>LineSequenceEncoder.Add</c>).</summary>
    internal static int RowSize(ulong advance, long lineDelta, int lineBase, int lineRange, int opcodeBase)
    {
        int size = 0;
        if (lineDelta < lineBase || lineDelta >= lineBase + lineRange)
        {
            size += 1 + Leb.SlebSize(lineDelta);
            lineDelta = 0;
        }

        ulong lineOperand = (ulong)(lineDelta - lineBase);
        ulong constAddPc = (ulong)((255 - opcodeBase) / lineRange);
        if (advance <= constAddPc && lineOperand + ((ulong)lineRange * advance) + (ulong)opcodeBase <= 255)
            return size + 1;
        if (advance >= constAddPc && advance - constAddPc <= constAddPc
            && lineOperand + ((ulong)lineRange * (advance - constAddPc)) + (ulong)opcodeBase <= 255)
            return size + 2;
        return size + 2 + Leb.UlebSize(advance);
    }
}
