using System.Text;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>Encodes line programs into .debug_line: header, then rows with special opcodes where they fit.</summary>
internal static class LineProgramEncoder
{
    private static readonly byte[] s_standardOpcodeLengths = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];

    public static void Encode(LineProgram program, ByteBuffer line, SpanTable str, SpanTable lineStr)
    {
        Validate(program);
        if (program.EncodedSequences is not null && !program.EncodingMatchesHeader)
            throw new InvalidOperationException("line program: header parameters changed after its sequences were encoded");
        int offsetSize = (int)program.Format;
        int lengthAt = line.ReserveUnitLength(offsetSize);
        line.WriteU16(program.Version);
        if (program.Version >= 5)
        {
            line.WriteU8(program.AddressSize);
            line.WriteU8(0);
        }

        int headerLengthAt = line.Length;
        line.WriteFixed(0, offsetSize);
        line.WriteU8(program.MinimumInstructionLength);
        if (program.Version >= 4)
            line.WriteU8(program.MaximumOperationsPerInstruction);
        line.WriteU8(program.DefaultIsStmt ? (byte)1 : (byte)0);
        line.WriteU8((byte)program.LineBase);
        line.WriteU8(program.LineRange);
        line.WriteU8(program.OpcodeBase);
        for (int i = 1; i < program.OpcodeBase; i++)
            line.WriteU8(i <= s_standardOpcodeLengths.Length ? s_standardOpcodeLengths[i - 1] : (byte)0);

        if (program.Version >= 5)
            WriteV5Tables(program, line, str, lineStr, offsetSize);
        else
            WriteV4Tables(program, line);

        line.PatchFixed(headerLengthAt, (ulong)(line.Length - headerLengthAt - offsetSize), offsetSize);
        if (program.EncodedSequences is { } encoded)
            line.WriteBytes(encoded.Written);
        EncodeSequences(program, line);
        line.PatchUnitLength(lengthAt, offsetSize);
    }

    internal static void Validate(LineProgram program)
    {
        if (program.LineRange == 0)
            throw new InvalidOperationException("line program: line_range must not be 0");
        if (program.LineBase > 0 || program.LineBase + program.LineRange <= 0)
            throw new InvalidOperationException("line program: line_base..line_base+line_range must include 0");
        if (program.OpcodeBase == 0 || program.OpcodeBase + program.LineRange - 1 > 255)
            throw new InvalidOperationException("line program: opcode_base + line_range must leave room for special opcodes");
        if (program.OpcodeBase < 10)
            throw new NotSupportedException("line program: opcode_base below 10 (without the DWARF 2 standard opcodes) is not supported");
        if (program.MinimumInstructionLength == 0)
            throw new InvalidOperationException("line program: minimum_instruction_length must not be 0");
        if (program.MaximumOperationsPerInstruction != 1)
            throw new NotSupportedException("line program: VLIW (maximum_operations_per_instruction > 1) is not supported");
    }

    private static void WriteV4Tables(LineProgram program, ByteBuffer line)
    {
        foreach (var directory in program.Directories)
            WriteCString(line, directory);
        line.WriteU8(0);
        foreach (var file in program.Files)
        {
            WriteCString(line, file.Path);
            line.WriteUleb(file.DirectoryIndex);
            line.WriteUleb(file.Timestamp);
            line.WriteUleb(file.Size);
        }

        line.WriteU8(0);
    }

    private static void WriteV5Tables(LineProgram program, ByteBuffer line, SpanTable str, SpanTable lineStr, int offsetSize)
    {
        var pathForm = program.PathForm;
        if (pathForm is not (DwForm.DW_FORM_line_strp or DwForm.DW_FORM_strp or DwForm.DW_FORM_string))
            throw new InvalidOperationException($"line program: unsupported path form {pathForm}");

        line.WriteU8(1);
        line.WriteUleb((ulong)DwLnct.DW_LNCT_path);
        line.WriteUleb((ulong)pathForm);
        line.WriteUleb((ulong)program.Directories.Count);
        foreach (var directory in program.Directories)
            WritePath(line, directory, pathForm, str, lineStr, offsetSize);

        byte formatCount = (byte)(2 + (program.HasTimestampAndSize ? 2 : 0) + (program.HasMd5 ? 1 : 0));
        line.WriteU8(formatCount);
        line.WriteUleb((ulong)DwLnct.DW_LNCT_path);
        line.WriteUleb((ulong)pathForm);
        line.WriteUleb((ulong)DwLnct.DW_LNCT_directory_index);
        line.WriteUleb((ulong)DwForm.DW_FORM_udata);
        if (program.HasTimestampAndSize)
        {
            line.WriteUleb((ulong)DwLnct.DW_LNCT_timestamp);
            line.WriteUleb((ulong)DwForm.DW_FORM_udata);
            line.WriteUleb((ulong)DwLnct.DW_LNCT_size);
            line.WriteUleb((ulong)DwForm.DW_FORM_udata);
        }

        if (program.HasMd5)
        {
            line.WriteUleb((ulong)DwLnct.DW_LNCT_MD5);
            line.WriteUleb((ulong)DwForm.DW_FORM_data16);
        }

        line.WriteUleb((ulong)program.Files.Count);
        foreach (var file in program.Files)
        {
            WritePath(line, file.Path, pathForm, str, lineStr, offsetSize);
            line.WriteUleb(file.DirectoryIndex);
            if (program.HasTimestampAndSize)
            {
                line.WriteUleb(file.Timestamp);
                line.WriteUleb(file.Size);
            }

            if (program.HasMd5)
            {
                if (file.Md5.Length != 16)
                    throw new InvalidOperationException($"line program: file {file.Path} needs a 16-byte MD5");
                line.WriteBytes(file.Md5.Span);
            }
        }
    }

    private static void WritePath(ByteBuffer line, string path, DwForm form, SpanTable str, SpanTable lineStr, int offsetSize)
    {
        if (form == DwForm.DW_FORM_string)
        {
            WriteCString(line, path);
            return;
        }

        var table = form == DwForm.DW_FORM_line_strp ? lineStr : str;
        line.WriteFixed((ulong)DwarfEmitter.InternString(table, Encoding.UTF8.GetBytes(path)), offsetSize);
    }

    private static void WriteCString(ByteBuffer line, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Encoding.UTF8.GetBytes(value, line.Reserve(count));
        line.WriteU8(0);
    }

    private static void EncodeSequences(LineProgram program, ByteBuffer line)
    {
        if (program.Sequences.Count == 0)
            return;
        var encoder = new LineSequenceEncoder(program, line);
        foreach (var sequence in program.Sequences)
        {
            encoder.Begin(sequence.Rows.Count > 0 ? sequence.Rows[0].Address : sequence.EndAddress);
            foreach (ref readonly var row in sequence.Rows.AsSpan())
                encoder.Add(row);
            encoder.End(sequence.EndAddress);
        }
    }
}
