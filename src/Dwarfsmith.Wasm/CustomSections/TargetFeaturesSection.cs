namespace Dwarfsmith.Wasm.CustomSections;

/// <summary>The <c>target_features</c> section: features with a prefix '+' (used), '-' (disallowed) or '=' (required).</summary>
public sealed class TargetFeaturesSection
{
    public const string SectionName = "target_features";

    public List<(char Prefix, string Name)> Features { get; } = [];

    public static TargetFeaturesSection Parse(Section section)
    {
        var reader = section.ContentReader();
        var result = new TargetFeaturesSection();
        var count = reader.ReadCount(2);
        for (var i = 0; i < count; i++)
        {
            var start = reader.Position;
            var prefix = (char)reader.ReadByte();
            if (prefix is not ('+' or '-' or '='))
                throw reader.ErrorAt(start, $"unknown target feature prefix 0x{(byte)prefix:X2}");
            result.Features.Add((prefix, reader.ReadName()));
        }
        if (!reader.AtEnd)
            throw reader.Error("junk after target_features section");
        return result;
    }

    public byte[] Encode()
    {
        var writer = new WasmWriter();
        writer.WriteVarUInt32((uint)Features.Count);
        foreach (var (prefix, name) in Features)
        {
            writer.WriteByte((byte)prefix);
            writer.WriteName(name);
        }
        return writer.ToArray();
    }
}
