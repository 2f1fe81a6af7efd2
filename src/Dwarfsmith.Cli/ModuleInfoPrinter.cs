using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Cli;

/// <summary>Prints a module's structure as text or JSON (the <c>info</c> command and the demo).</summary>
internal static class ModuleInfoPrinter
{
    /// <summary>Whether the debug file named by external_debug_info is there, and belongs to the module.</summary>
    private static string DebugFileText(string path, WasmModule module) =>
        LocateDebugFile(path, module, out var debugFile, out var malformed) is false ? "not found"
        : debugFile is not null ? $"found: {debugFile.Path}, build id {(debugFile.BuildIdMatches ? "matches" : "does NOT match")}"
        : $"found, but malformed: {malformed}";

    /// <summary>
    /// Follows external_debug_info. The module described is fine even when its debug file is damaged:
    /// that is a fact about it (<paramref name="malformed"/>), not a failure of info.
    /// </summary>
    private static bool LocateDebugFile(string path, WasmModule module, out DebugFile? debugFile, out string? malformed)
    {
        malformed = null;
        try
        {
            return DebugFileLocator.TryFind(path, module, out debugFile);
        }
        catch (WasmFormatException ex)
        {
            debugFile = null;
            malformed = ex.Message;
            return true;
        }
    }

    public static void WriteText(TextWriter output, string path, WasmModule module)
    {
        output.WriteLine($"{path}: {module.Bytes.Length} bytes, version {module.Version}{(module.IsObjectFile ? ", relocatable object" : "")}");
        output.WriteLine();
        output.WriteLine("Sections:");
        output.WriteLine($"  {"section",-28} {"offset",10} {"payload",10} {"size",10}  count");
        foreach (var section in module.Sections)
        {
            var count = module.ItemCount(section.Id);
            output.WriteLine($"  {SectionLabel(section),-28} 0x{section.Offset:X8} 0x{section.PayloadOffset:X8} {section.PayloadSize,10}  {(count is null ? "" : count)}");
        }
        if (module.Imports.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Imports ({module.Imports.Count}):");
            foreach (var import in module.Imports)
                output.WriteLine($"  {import.Kind.ToString().ToLowerInvariant(),-8} {import.Module}.{import.Name}  {ModuleFacts.ImportDescription(module, import)}");
        }
        if (module.Exports.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Exports ({module.Exports.Count}):");
            foreach (var export in module.Exports)
                output.WriteLine($"  {export.Kind.ToString().ToLowerInvariant(),-8} {export.Name} -> {export.Index}");
        }
        if (module.Bodies.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Functions ({module.Bodies.Count} defined, {module.ImportedFunctionCount} imported):");
            output.WriteLine($"  {"index",6}  {"code offset",-10}  {"file offset",-10} {"size",8}  name / signature");
            foreach (var body in module.Bodies)
            {
                var signature = module.TryGetFunctionType(body.FunctionIndex, out var type) ? type.ToString() : "?";
                output.WriteLine($"  {body.FunctionIndex,6}  0x{body.CodeOffset:X8}  0x{body.Offset:X8} {body.Size,8}  {module.FunctionName(body.FunctionIndex) ?? "-"} {signature}");
            }
        }
        if (module.TargetFeatures is { } features)
        {
            output.WriteLine();
            output.WriteLine($"Target features: {string.Join(' ', features.Features.Select(f => $"{f.Prefix}{f.Name}"))}");
        }
        if (module.Producers is { } producers)
        {
            output.WriteLine();
            output.WriteLine("Producers:");
            foreach (var (field, values) in producers.Fields)
                output.WriteLine($"  {field}: {string.Join(", ", values.Select(v => $"{v.Name} {v.Version}".TrimEnd()))}");
        }
        if (module.BuildId is { } buildId)
            output.WriteLine($"Build id: {Convert.ToHexStringLower(buildId)}");
        if (module.ExternalDebugInfo is { } external)
            output.WriteLine($"External debug info: {external} ({DebugFileText(path, module)})");
        if (module.SourceMappingUrl is { } sourceMap)
            output.WriteLine($"Source map: {sourceMap}");
    }

    private static string SectionLabel(Section section) => section.IsCustom ? $"custom \"{section.Name}\"" : section.Id.ToString().ToLowerInvariant();

    public static void WriteJson(TextWriter output, string path, WasmModule module)
    {
        using var stream = new MemoryStream();
        using (var json = CliConsole.JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("file", path);
            json.WriteNumber("size", module.Bytes.Length);
            json.WriteNumber("version", module.Version);
            json.WriteBoolean("relocatable", module.IsObjectFile);
            json.WriteStartArray("sections");
            foreach (var section in module.Sections)
            {
                json.WriteStartObject();
                json.WriteString("id", section.Id.ToString().ToLowerInvariant());
                if (section.Name is not null)
                    json.WriteString("name", section.Name);
                json.WriteNumber("offset", section.Offset);
                json.WriteNumber("payloadOffset", section.PayloadOffset);
                json.WriteNumber("payloadSize", section.PayloadSize);
                if (module.ItemCount(section.Id) is { } count)
                    json.WriteNumber("count", count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("imports");
            foreach (var import in module.Imports)
            {
                json.WriteStartObject();
                json.WriteString("module", import.Module);
                json.WriteString("name", import.Name);
                json.WriteString("kind", import.Kind.ToString().ToLowerInvariant());
                json.WriteString("type", ModuleFacts.ImportDescription(module, import));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("exports");
            foreach (var export in module.Exports)
            {
                json.WriteStartObject();
                json.WriteString("name", export.Name);
                json.WriteString("kind", export.Kind.ToString().ToLowerInvariant());
                json.WriteNumber("index", export.Index);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("importedFunctions", module.ImportedFunctionCount);
            json.WriteStartArray("functions");
            foreach (var body in module.Bodies)
            {
                json.WriteStartObject();
                json.WriteNumber("index", body.FunctionIndex);
                if (module.FunctionName(body.FunctionIndex) is { } name)
                    json.WriteString("name", name);
                if (module.TryGetFunctionType(body.FunctionIndex, out var type))
                    json.WriteString("signature", type.ToString());
                json.WriteNumber("codeOffset", body.CodeOffset);
                json.WriteNumber("fileOffset", body.Offset);
                json.WriteNumber("size", body.Size);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (module.TargetFeatures is { } features)
            {
                json.WriteStartArray("targetFeatures");
                foreach (var (prefix, name) in features.Features)
                    json.WriteStringValue($"{prefix}{name}");
                json.WriteEndArray();
            }
            if (module.Producers is { } producers)
            {
                json.WriteStartObject("producers");
                foreach (var (field, values) in producers.Fields)
                {
                    json.WriteStartArray(field);
                    foreach (var (name, version) in values)
                        json.WriteStringValue($"{name} {version}".TrimEnd());
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            if (module.BuildId is { } buildId)
                json.WriteString("buildId", Convert.ToHexStringLower(buildId));
            if (module.ExternalDebugInfo is { } external)
            {
                json.WriteString("externalDebugInfo", external);
                if (LocateDebugFile(path, module, out var debugFile, out var malformed))
                {
                    json.WriteStartObject("externalDebugFile");
                    if (debugFile is not null)
                    {
                        json.WriteString("path", debugFile.Path);
                        json.WriteBoolean("buildIdMatches", debugFile.BuildIdMatches);
                    }
                    else
                    {
                        json.WriteString("malformed", malformed);
                    }
                    json.WriteEndObject();
                }
            }
            if (module.SourceMappingUrl is { } sourceMap)
                json.WriteString("sourceMappingUrl", sourceMap);
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
