namespace Dwarfsmith.Wasm;

/// <summary>Finds the end of a constant expression.</summary>
internal static class ConstantExpressionScanner
{
    public static void SkipToEnd(ref WasmReader reader)
    {
        while (true)
        {
            var start = reader.Position;
            var opcode = reader.ReadByte();
            switch (opcode)
            {
                case 0x0B:
                    return;
                case 0x41:
                    reader.ReadVarInt32();
                    break;
                case 0x42:
                    reader.ReadVarInt64();
                    break;
                case 0x43:
                    reader.ReadBytes(4);
                    break;
                case 0x44:
                    reader.ReadBytes(8);
                    break;
                case 0x23 or 0xD2:
                    reader.ReadVarUInt32();
                    break;
                case 0xD0:
                    ValueTypes.ReadReferenceType(ref reader);
                    break;
                case 0x6A or 0x6B or 0x6C or 0x7C or 0x7D or 0x7E:
                    break;
                case 0xFD:
                    if (reader.ReadVarUInt32() != 0x0C)
                        throw reader.ErrorAt(start, "constant expression required");
                    reader.ReadBytes(16);
                    break;
                default:
                    throw reader.ErrorAt(start, "constant expression required");
            }
        }
    }
}
