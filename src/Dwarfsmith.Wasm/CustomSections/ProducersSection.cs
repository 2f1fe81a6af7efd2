namespace Dwarfsmith.Wasm.CustomSections;

/// <summary>The <c>producers</c> section: fields (language, processed-by, sdk) with name/version pairs.</summary>
public sealed class ProducersSection
{
    public const string SectionName = "producers";

    public List<(string Field, List<(string Name, string Version)> Values)> Fields { get; } = [];

    public static ProducersSection Parse(Section section)
    {
        var reader = section.ContentReader();
        var producers = new ProducersSection();
        var fieldCount = reader.ReadCount(2);
        for (var i = 0; i < fieldCount; i++)
        {
            var field = reader.ReadName();
            var valueCount = reader.ReadCount(2);
            var values = new List<(string, string)>(valueCount);
            for (var j = 0; j < valueCount; j++)
                values.Add((reader.ReadName(), reader.ReadName()));
            producers.Fields.Add((field, values));
        }
        if (!reader.AtEnd)
            throw reader.Error("junk after producers section");
        return producers;
    }

    public byte[] Encode()
    {
        var writer = new WasmWriter();
        writer.WriteVarUInt32((uint)Fields.Count);
        foreach (var (field, values) in Fields)
        {
            writer.WriteName(field);
            writer.WriteVarUInt32((uint)values.Count);
            foreach (var (name, version) in values)
            {
                writer.WriteName(name);
                writer.WriteName(version);
            }
        }
        return writer.ToArray();
    }
}
