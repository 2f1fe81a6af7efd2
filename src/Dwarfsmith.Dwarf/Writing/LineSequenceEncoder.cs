namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// Encodes line sequences row by row into a buffer: the line-number state machine's registers are
/// tracked so that each row costs only the opcodes for what changed, and address and line advances
/// use a special opcode where one fits. Rows need not be kept once encoded, so the pass streams a
/// program's rows through one of these instead of holding them.
/// </summary>
internal sealed class LineSequenceEncoder
{
    private readonly ByteBuffer _line;
    private readonly int _addressSize;
    private readonly byte _minimumInstructionLength;
    private readonly int _opcodeBase;
    private readonly int _lineBase;
    private readonly int _lineRange;
    private readonly bool _defaultIsStmt;
    private readonly ulong _constAddPcAdvance;

    private ulong _address;
    private ulong _file;
    private ulong _lineNumber;
    private ulong _column;
    private ulong _isa;
    private bool _isStmt;

    public LineSequenceEncoder(LineProgram program, ByteBuffer line)
    {
        LineProgramEncoder.Validate(program);
        _line = line;
        _addressSize = program.AddressSize;
        _minimumInstructionLength = program.MinimumInstructionLength;
        _opcodeBase = program.OpcodeBase;
        _lineBase = program.LineBase;
        _lineRange = program.LineRange;
        _defaultIsStmt = program.DefaultIsStmt;
        _constAddPcAdvance = (ulong)((255 - _opcodeBase) / _lineRange);
    }

    /// <summary>The address size the rows are encoded with (the program's).</summary>
    public int AddressSize => _addressSize;

    /// <summary>True when <paramref name="program"/>'s header still matches what the rows were encoded for.</summary>
    public bool Matches(LineProgram program) =>
        program.AddressSize == _addressSize && program.MinimumInstructionLength == _minimumInstructionLength
        && program.OpcodeBase == _opcodeBase && program.LineBase == _lineBase && program.LineRange == _lineRange
        && program.DefaultIsStmt == _defaultIsStmt;

    /// <summary>Starts a sequence at <paramref name="address"/> (its first row's, or its end's when it has none).</summary>
    public void Begin(ulong address)
    {
        _address = address;
        _file = 1;
        _lineNumber = 1;
        _column = 0;
        _isa = 0;
        _isStmt = _defaultIsStmt;
        SetAddress(address);
    }

    public void Add(in LineRow row)
    {
        var line = _line;
        if (row.File != _file)
        {
            line.WriteU8((byte)DwLns.DW_LNS_set_file);
            line.WriteUleb(row.File);
            _file = row.File;
        }

        if (row.Column != _column)
        {
            line.WriteU8((byte)DwLns.DW_LNS_set_column);
            line.WriteUleb(row.Column);
            _column = row.Column;
        }

        if (row.IsStmt != _isStmt)
        {
            line.WriteU8((byte)DwLns.DW_LNS_negate_stmt);
            _isStmt = row.IsStmt;
        }

        if (row.BasicBlock)
            line.WriteU8((byte)DwLns.DW_LNS_set_basic_block);
        if (row.PrologueEnd)
            line.WriteU8(RequireOpcode(DwLns.DW_LNS_set_prologue_end));
        if (row.EpilogueBegin)
            line.WriteU8(RequireOpcode(DwLns.DW_LNS_set_epilogue_begin));
        if (row.Isa != _isa)
        {
            line.WriteU8(RequireOpcode(DwLns.DW_LNS_set_isa));
            line.WriteUleb(row.Isa);
            _isa = row.Isa;
        }

        if (row.Discriminator != 0)
        {
            line.WriteU8(0);
            line.WriteUleb((ulong)(1 + Leb.UlebSize(row.Discriminator)));
            line.WriteU8((byte)DwLne.DW_LNE_set_discriminator);
            line.WriteUleb(row.Discriminator);
        }

        if (row.Address < _address)
        {
            SetAddress(row.Address);
            _address = row.Address;
        }

        ulong advance = OperationAdvance(row.Address - _address);
        long lineDelta = (long)(row.Line - _lineNumber);
        if (lineDelta < _lineBase || lineDelta >= _lineBase + _lineRange)
        {
            line.WriteU8((byte)DwLns.DW_LNS_advance_line);
            line.WriteSleb(lineDelta);
            lineDelta = 0;
        }

        ulong lineOperand = (ulong)(lineDelta - _lineBase);
        ulong lineRange = (ulong)_lineRange, opcodeBase = (ulong)_opcodeBase;
        if (advance <= _constAddPcAdvance && lineOperand + (lineRange * advance) + opcodeBase <= 255)
        {
            line.WriteU8((byte)(lineOperand + (lineRange * advance) + opcodeBase));
        }
        else if (advance >= _constAddPcAdvance && advance - _constAddPcAdvance <= _constAddPcAdvance &&
                 lineOperand + (lineRange * (advance - _constAddPcAdvance)) + opcodeBase <= 255)
        {
            line.WriteU8((byte)DwLns.DW_LNS_const_add_pc);
            line.WriteU8((byte)(lineOperand + (lineRange * (advance - _constAddPcAdvance)) + opcodeBase));
        }
        else
        {
            line.WriteU8((byte)DwLns.DW_LNS_advance_pc);
            line.WriteUleb(advance);
            line.WriteU8((byte)(lineOperand + opcodeBase));
        }

        _address = row.Address;
        _lineNumber = row.Line;
    }

    /// <summary>Ends the sequence at <paramref name="endAddress"/> (exclusive) with DW_LNE_end_sequence.</summary>
    public void End(ulong endAddress)
    {
        var line = _line;
        if (endAddress < _address)
        {
            SetAddress(endAddress);
        }
        else if (endAddress > _address)
        {
            ulong advance = OperationAdvance(endAddress - _address);
            if (advance == _constAddPcAdvance)
            {
                line.WriteU8((byte)DwLns.DW_LNS_const_add_pc);
            }
            else
            {
                line.WriteU8((byte)DwLns.DW_LNS_advance_pc);
                line.WriteUleb(advance);
            }
        }

        line.WriteU8(0);
        line.WriteU8(1);
        line.WriteU8((byte)DwLne.DW_LNE_end_sequence);
    }

    private ulong OperationAdvance(ulong delta)
    {
        if (_minimumInstructionLength == 1)
            return delta; // wasm and x86: no division per row
        if (delta % _minimumInstructionLength != 0)
            throw new InvalidOperationException($"line program: address advance {delta} is not a multiple of minimum_instruction_length {_minimumInstructionLength}");
        return delta / _minimumInstructionLength;
    }

    private byte RequireOpcode(DwLns opcode) =>
        (int)opcode < _opcodeBase
            ? (byte)opcode
            : throw new InvalidOperationException($"line program: {opcode} needs opcode_base > {(int)opcode}, have {_opcodeBase}");

    private void SetAddress(ulong address)
    {
        _line.WriteU8(0);
        _line.WriteUleb((ulong)(1 + _addressSize));
        _line.WriteU8((byte)DwLne.DW_LNE_set_address);
        _line.WriteFixed(address, _addressSize);
    }
}
