using System.Text;
using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Reading;

/// <summary>One content description of a DWARF 5 directory or file entry format.</summary>
public readonly record struct LineEntryFormat(DwLnct ContentType, DwForm Form);

/// <summary>A directory or file entry of a line program header.</summary>
public sealed class LineFileEntry
{
    /// <summary>The path as written (file name, or directory), resolved from its string form.</summary>
    public string Path { get; init; } = "";

    public ulong DirectoryIndex { get; init; }

    public ulong Timestamp { get; init; }

    public ulong Size { get; init; }

    /// <summary>The 16-byte MD5 of a DWARF 5 entry, or empty.</summary>
    public ReadOnlyMemory<byte> Md5 { get; init; }

    /// <summary>Offset of the entry in .debug_line.</summary>
    public long Offset { get; init; }

    /// <summary>
    /// The raw fields of a DWARF 5 entry in format order; <see cref="AttributeValue.Name"/> holds the
    /// DW_LNCT code. Empty for DWARF 2–4 entries.
    /// </summary>
    public IReadOnlyList<AttributeValue> Fields { get; init; } = [];

    public override string ToString() => Path;
}

/// <summary>A row of the line table.</summary>
public readonly record struct LineRow(
    ulong Address,
    uint OpIndex,
    ulong File,
    ulong Line,
    ulong Column,
    bool IsStmt,
    bool BasicBlock,
    bool EndSequence,
    bool PrologueEnd,
    bool EpilogueBegin,
    ulong Isa,
    ulong Discriminator)
{
    /// <summary>Offset in .debug_line of the opcode that appended this row.</summary>
    public long OpcodeOffset { get; init; }
}

/// <summary>
/// A sequence of rows: rows [Start, Start + Count) of the program, ending with an end_sequence row.
/// <see cref="IsTombstone"/> when it starts at a dead-code address (see <see cref="Tombstones"/>).
/// </summary>
public readonly record struct LineSequence(int Start, int Count, ulong LowAddress, ulong HighAddress, bool IsTombstone);

/// <summary>
/// A line program of .debug_line (DWARF 2–5): the header with every raw field, and the opcodes,
/// run into rows on demand (<see cref="Rows"/>, <see cref="ReadRows"/>).
/// </summary>
public sealed class LineProgram
{
    private const string SectionName = DwarfSections.Line;

    public DwarfSection Section { get; private init; }

    public long Offset { get; private init; }

    public ulong UnitLength { get; private init; }

    public int OffsetSize { get; private init; }

    public int Version { get; private init; }

    /// <summary>address_size of a DWARF 5 header; the unit's address size otherwise.</summary>
    public int AddressSize { get; private init; }

    public int SegmentSelectorSize { get; private init; }

    public ulong HeaderLength { get; private init; }

    public byte MinimumInstructionLength { get; private init; }

    public byte MaximumOperationsPerInstruction { get; private init; }

    public bool DefaultIsStmt { get; private init; }

    public sbyte LineBase { get; private init; }

    public byte LineRange { get; private init; }

    public byte OpcodeBase { get; private init; }

    /// <summary>Operand counts of standard opcodes 1 … opcode_base − 1 (index 0 is opcode 1).</summary>
    public IReadOnlyList<byte> StandardOpcodeLengths { get; private init; } = [];

    public IReadOnlyList<LineEntryFormat> DirectoryEntryFormat { get; private init; } = [];

    /// <summary>Include directories (DWARF 5: index 0 is the compilation directory; before: index 1 is the first).</summary>
    public IReadOnlyList<LineFileEntry> Directories { get; private init; } = [];

    public IReadOnlyList<LineEntryFormat> FileEntryFormat { get; private init; } = [];

    /// <summary>File entries (DWARF 5: index 0 is the primary file; before: file register value 1 is the first entry).</summary>
    public IReadOnlyList<LineFileEntry> Files { get; private init; } = [];

    /// <summary>Offset of the first opcode.</summary>
    public long ProgramOffset { get; private init; }

    /// <summary>Offset just past the program.</summary>
    public long EndOffset { get; private init; }

    /// <summary>The header bytes as written (unit length through the file names).</summary>
    public ReadOnlyMemory<byte> RawHeader => Section.Data[(int)Offset..(int)ProgramOffset];

    /// <summary>The opcodes as written.</summary>
    public ReadOnlyMemory<byte> RawProgram => Section.Data[(int)ProgramOffset..(int)EndOffset];

    /// <summary>A cursor that runs the program and yields rows one at a time.</summary>
    public LineRowCursor Rows() => new(this);

    /// <summary>All rows, in program order.</summary>
    public List<LineRow> ReadRows()
    {
        var rows = new List<LineRow>();
        var cursor = Rows();
        while (cursor.MoveNext())
            rows.Add(cursor.Current);
        return rows;
    }

    /// <summary>Groups rows (from <see cref="ReadRows"/>) into sequences; rows after the last end_sequence form none.</summary>
    public List<LineSequence> Sequences(IReadOnlyList<LineRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = new List<LineSequence>();
        var start = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].EndSequence)
            {
                var low = rows[start].Address;
                list.Add(new LineSequence(start, i - start + 1, low, rows[i].Address, Tombstones.IsTombstone(low, AddressSize, ZeroIsTombstone)));
                start = i + 1;
            }
        }

        return list;
    }

    /// <summary>The entry for a file register value (1-based before DWARF 5, 0-based from 5).</summary>
    public bool TryGetFile(ulong file, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LineFileEntry? entry)
    {
        var index = Version >= 5 ? file : file - 1;
        entry = index < (ulong)Files.Count ? Files[(int)index] : null;
        return entry is not null;
    }

    /// <summary>The directory entry of an index (0 = compilation directory in DWARF 5; before, 1 = first include directory).</summary>
    public bool TryGetDirectory(ulong index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LineFileEntry? entry)
    {
        var i = Version >= 5 ? index : index - 1;
        entry = i < (ulong)Directories.Count ? Directories[(int)i] : null;
        return entry is not null;
    }

    /// <summary>Whether address 0 marks dead code in this file (<see cref="DwarfSections.ZeroIsTombstone"/>).</summary>
    public bool ZeroIsTombstone { get; private init; }

    internal static LineProgram Read(DwarfContext context, ulong offset, int unitAddressSize)
    {
        var section = context.Line;
        if (offset >= (ulong)section.Length)
            throw new DwarfFormatException($"line program offset 0x{offset:X} is outside the section", SectionName, (long)Math.Min(offset, long.MaxValue));
        var r = section.Reader();
        r.Seek((long)offset);
        var (length, offsetSize) = r.ReadInitialLength();
        if (length > (ulong)r.Remaining)
            throw r.ErrorAt((long)offset, $"line program length 0x{length:X} runs past the end of the section");
        var end = r.Offset + (long)length;
        var versionOffset = r.Offset;
        int version = r.ReadU16();
        if (version is < 2 or > 5)
            throw r.ErrorAt(versionOffset, $"unsupported line table version {version}");
        var addressSize = unitAddressSize;
        var segmentSize = 0;
        if (version >= 5)
        {
            addressSize = r.ReadU8();
            segmentSize = r.ReadU8();
            if (addressSize is not (1 or 2 or 4 or 8))
                throw r.ErrorAt(r.Offset - 2, $"unsupported address size {addressSize}");
        }

        var headerLength = r.ReadOffset(offsetSize);
        var programOffset = r.Offset + (long)Math.Min(headerLength, (ulong)long.MaxValue / 2);
        if (headerLength > (ulong)(end - r.Offset))
            throw r.ErrorAt(r.Offset - offsetSize, $"header length 0x{headerLength:X} runs past the end of the line program");
        var minInst = r.ReadU8();
        var maxOps = version >= 4 ? r.ReadU8() : (byte)1;
        var defaultIsStmt = r.ReadU8() != 0;
        var lineBase = (sbyte)r.ReadU8();
        var lineRange = r.ReadU8();
        var opcodeBase = r.ReadU8();
        var lengths = opcodeBase > 0 ? r.ReadBytes((ulong)(opcodeBase - 1)).ToArray() : [];
        var encoding = new UnitEncoding(version, addressSize, offsetSize);

        var dirFormat = new ValueList<LineEntryFormat>();
        var fileFormat = new ValueList<LineEntryFormat>();
        var dirs = new List<LineFileEntry>();
        var files = new List<LineFileEntry>();
        if (version >= 5)
        {
            ReadFormat(ref r, dirFormat);
            ReadEntries(ref r, context, section, dirFormat, encoding, dirs);
            ReadFormat(ref r, fileFormat);
            ReadEntries(ref r, context, section, fileFormat, encoding, files);
        }
        else
        {
            while (true)
            {
                var at = r.Offset;
                var s = r.ReadCString();
                if (s.IsEmpty)
                    break;
                dirs.Add(new LineFileEntry { Path = Encoding.UTF8.GetString(s), Offset = at });
            }

            while (true)
            {
                var at = r.Offset;
                var s = r.ReadCString();
                if (s.IsEmpty)
                    break;
                files.Add(new LineFileEntry
                {
                    Path = Encoding.UTF8.GetString(s),
                    DirectoryIndex = r.ReadULeb128(),
                    Timestamp = r.ReadULeb128(),
                    Size = r.ReadULeb128(),
                    Offset = at,
                });
            }
        }

        if (r.Offset > programOffset)
            throw r.ErrorAt(programOffset, "line program header is longer than its header_length");

        return new LineProgram
        {
            Section = section,
            Offset = (long)offset,
            UnitLength = length,
            OffsetSize = offsetSize,
            Version = version,
            AddressSize = addressSize,
            SegmentSelectorSize = segmentSize,
            HeaderLength = headerLength,
            MinimumInstructionLength = minInst,
            MaximumOperationsPerInstruction = maxOps,
            DefaultIsStmt = defaultIsStmt,
            LineBase = lineBase,
            LineRange = lineRange,
            OpcodeBase = opcodeBase,
            StandardOpcodeLengths = lengths,
            DirectoryEntryFormat = dirFormat,
            Directories = dirs,
            FileEntryFormat = fileFormat,
            Files = files,
            ProgramOffset = programOffset,
            EndOffset = end,
            ZeroIsTombstone = context.Sections.ZeroIsTombstone,
        };
    }

    private static void ReadFormat(ref DwarfReader r, ValueList<LineEntryFormat> format)
    {
        int count = r.ReadU8();
        for (var i = 0; i < count; i++)
        {
            var at = r.Offset;
            var type = r.ReadULeb128();
            var form = r.ReadULeb128();
            if (type > ushort.MaxValue || form > ushort.MaxValue || !Forms.IsKnown((DwForm)form) || (DwForm)form == DwForm.DW_FORM_indirect)
                throw r.ErrorAt(at, $"unsupported entry format (content type 0x{type:X}, form 0x{form:X})");
            format.Add(new LineEntryFormat((DwLnct)type, (DwForm)form));
        }
    }

    private static void ReadEntries(ref DwarfReader r, DwarfContext context, DwarfSection section, ValueList<LineEntryFormat> format, UnitEncoding encoding, List<LineFileEntry> entries)
    {
        var countOffset = r.Offset;
        var count = r.ReadULeb128();
        if (count > (ulong)r.Remaining)
            throw r.ErrorAt(countOffset, $"entry count {count} exceeds the header");
        for (ulong i = 0; i < count; i++)
        {
            var at = r.Offset;
            var fields = new AttributeValue[format.Count];
            string path = "";
            ulong dir = 0, time = 0, size = 0;
            ReadOnlyMemory<byte> md5 = default;
            for (var f = 0; f < format.Count; f++)
            {
                var v = Forms.Read(ref r, section.Data, (DwAt)format[f].ContentType, format[f].Form, 0, encoding);
                fields[f] = v;
                switch (format[f].ContentType)
                {
                    case DwLnct.DW_LNCT_path:
                        path = v.Form switch
                        {
                            DwForm.DW_FORM_string => Encoding.UTF8.GetString(v.Bytes),
                            DwForm.DW_FORM_line_strp => Encoding.UTF8.GetString(context.StringAt(DwarfSections.LineStr, v.Value)),
                            DwForm.DW_FORM_strp => Encoding.UTF8.GetString(context.StringAt(DwarfSections.Str, v.Value)),
                            _ => "",
                        };
                        break;
                    case DwLnct.DW_LNCT_directory_index:
                        dir = v.Value;
                        break;
                    case DwLnct.DW_LNCT_timestamp:
                        time = v.IsBlock ? 0 : v.Value;
                        break;
                    case DwLnct.DW_LNCT_size:
                        size = v.Value;
                        break;
                    case DwLnct.DW_LNCT_MD5:
                        md5 = v.Memory;
                        break;
                    default:
                        break;
                }
            }

            entries.Add(new LineFileEntry { Path = path, DirectoryIndex = dir, Timestamp = time, Size = size, Md5 = md5, Offset = at, Fields = fields });
        }
    }
}

/// <summary>Runs a line program's opcodes, yielding one row per DW_LNS_copy, special opcode and end_sequence.</summary>
public sealed class LineRowCursor
{
    private readonly LineProgram _program;
    private long _next;
    private State _state;

    internal LineRowCursor(LineProgram program)
    {
        _program = program;
        _next = program.ProgramOffset;
        _state = State.Initial(program.DefaultIsStmt);
    }

    public LineRow Current { get; private set; }

    public bool MoveNext()
    {
        var p = _program;
        var r = p.Section.Reader();
        var end = p.EndOffset;
        while (_next < end)
        {
            r.Seek(_next);
            var at = _next;
            var opcode = r.ReadU8();
            var emit = false;
            if (opcode >= p.OpcodeBase)
            {
                if (p.LineRange == 0)
                    throw r.ErrorAt(at, "special opcode with line_range 0");
                var adjusted = opcode - p.OpcodeBase;
                Advance((ulong)(adjusted / p.LineRange));
                _state.Line = (ulong)((long)_state.Line + p.LineBase + (adjusted % p.LineRange));
                emit = true;
            }
            else if (opcode == 0)
            {
                var length = r.ReadULeb128();
                if (length == 0 || length > (ulong)(end - r.Offset))
                    throw r.ErrorAt(at, $"extended opcode length 0x{length:X} runs past the end of the line program");
                var opEnd = r.Offset + (long)length;
                var sub = (DwLne)r.ReadU8();
                switch (sub)
                {
                    case DwLne.DW_LNE_end_sequence:
                        _state.EndSequence = true;
                        emit = true;
                        break;
                    case DwLne.DW_LNE_set_address:
                    {
                        var size = (int)(length - 1);
                        if (size is not (1 or 2 or 4 or 8))
                            throw r.ErrorAt(at, $"DW_LNE_set_address with a {size}-byte operand");
                        _state.Address = r.ReadUInt(size);
                        _state.OpIndex = 0;
                        break;
                    }

                    case DwLne.DW_LNE_define_file:
                        r.SkipCString();
                        r.ReadULeb128();
                        r.ReadULeb128();
                        r.ReadULeb128();
                        break;
                    case DwLne.DW_LNE_set_discriminator:
                        _state.Discriminator = r.ReadULeb128();
                        break;
                    default:
                        break;
                }

                if (r.Offset > opEnd)
                    throw r.ErrorAt(at, "extended opcode operands run past its length");
                r.Seek(opEnd);
            }
            else
            {
                switch ((DwLns)opcode)
                {
                    case DwLns.DW_LNS_copy:
                        emit = true;
                        break;
                    case DwLns.DW_LNS_advance_pc:
                        Advance(r.ReadULeb128());
                        break;
                    case DwLns.DW_LNS_advance_line:
                        _state.Line = (ulong)((long)_state.Line + r.ReadSLeb128());
                        break;
                    case DwLns.DW_LNS_set_file:
                        _state.File = r.ReadULeb128();
                        break;
                    case DwLns.DW_LNS_set_column:
                        _state.Column = r.ReadULeb128();
                        break;
                    case DwLns.DW_LNS_negate_stmt:
                        _state.IsStmt = !_state.IsStmt;
                        break;
                    case DwLns.DW_LNS_set_basic_block:
                        _state.BasicBlock = true;
                        break;
                    case DwLns.DW_LNS_const_add_pc:
                        if (p.LineRange == 0)
                            throw r.ErrorAt(at, "DW_LNS_const_add_pc with line_range 0");
                        Advance((ulong)((255 - p.OpcodeBase) / p.LineRange));
                        break;
                    case DwLns.DW_LNS_fixed_advance_pc:
                        _state.Address += r.ReadU16();
                        _state.OpIndex = 0;
                        break;
                    case DwLns.DW_LNS_set_prologue_end:
                        _state.PrologueEnd = true;
                        break;
                    case DwLns.DW_LNS_set_epilogue_begin:
                        _state.EpilogueBegin = true;
                        break;
                    case DwLns.DW_LNS_set_isa:
                        _state.Isa = r.ReadULeb128();
                        break;
                    default:
                        // An opcode this reader does not know: skip its ULEB operands.
                        for (var i = 0; i < p.StandardOpcodeLengths[opcode - 1]; i++)
                            r.ReadULeb128();
                        break;
                }
            }

            if (r.Offset > end)
                throw r.ErrorAt(at, "opcode runs past the end of the line program");
            _next = r.Offset;
            if (emit)
            {
                var s = _state;
                Current = new LineRow(s.Address, s.OpIndex, s.File, s.Line, s.Column, s.IsStmt, s.BasicBlock, s.EndSequence,
                    s.PrologueEnd, s.EpilogueBegin, s.Isa, s.Discriminator) { OpcodeOffset = at };
                if (s.EndSequence)
                {
                    _state = State.Initial(p.DefaultIsStmt);
                }
                else
                {
                    _state.BasicBlock = _state.PrologueEnd = _state.EpilogueBegin = false;
                    _state.Discriminator = 0;
                }

                return true;
            }
        }

        return false;
    }

    private void Advance(ulong operationAdvance)
    {
        var p = _program;
        if (p.MaximumOperationsPerInstruction <= 1)
        {
            _state.Address += p.MinimumInstructionLength * operationAdvance;
            return;
        }

        var total = _state.OpIndex + operationAdvance;
        _state.Address += p.MinimumInstructionLength * (total / p.MaximumOperationsPerInstruction);
        _state.OpIndex = (uint)(total % p.MaximumOperationsPerInstruction);
    }

    private struct State
    {
        public ulong Address;
        public uint OpIndex;
        public ulong File;
        public ulong Line;
        public ulong Column;
        public bool IsStmt;
        public bool BasicBlock;
        public bool EndSequence;
        public bool PrologueEnd;
        public bool EpilogueBegin;
        public ulong Isa;
        public ulong Discriminator;

        public static State Initial(bool isStmt) => new() { File = 1, Line = 1, IsStmt = isStmt };
    }
}
