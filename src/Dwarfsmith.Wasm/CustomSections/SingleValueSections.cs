namespace Dwarfsmith.Wasm.CustomSections;

/// <summary>
/// Custom sections whose content is one length-prefixed value: <c>build_id</c> (bytes),
/// <c>external_debug_info</c> and <c>sourceMappingURL</c> (UTF-8 URLs).
/// </summary>
public static class SingleValueSections
{
    public const string BuildId = "build_id";
    public const string ExternalDebugInfo = "external_debug_info";
    public const string SourceMappingUrl = "sourceMappingURL";

    public static byte[] ParseBytes(Section section)
    {
        var reader = section.ContentReader();
        var length = reader.ReadVarUInt32();
        if (length > (uint)reader.Remaining)
            throw reader.Error("unexpected end");
        var bytes = reader.ReadBytes((int)length).ToArray();
        if (!reader.AtEnd)
            throw reader.Error($"junk after {section.Name} value");
        return bytes;
    }

    public static string ParseString(Section section)
    {
        var reader = section.ContentReader();
        var value = reader.ReadName();
        if (!reader.AtEnd)
            throw reader.Error($"junk after {section.Name} value");
        return value;
    }

    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        var writer = new WasmWriter(value.Length + 5);
        writer.WriteSized(value);
        return writer.ToArray();
    }

    public static byte[] EncodeString(string value)
    {
        var writer = new WasmWriter(value.Length + 5);
        writer.WriteName(value);
        return writer.ToArray();
    }
}
