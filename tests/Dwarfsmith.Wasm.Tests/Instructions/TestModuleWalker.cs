namespace Dwarfsmith.Wasm.Tests.Instructions;

/// <summary>One function body found by <see cref="TestModuleWalker"/>.</summary>
internal readonly record struct TestFunctionBody(int Index, long BodyOffset, long CodeOffset, int CodeStart, int CodeLength, int LocalCount);

/// <summary>
/// A minimal section walker for tests (until the module reader is available): finds the code
/// section's bodies and skips their locals.
/// </summary>
internal static class TestModuleWalker
{
    public static List<TestFunctionBody> FunctionBodies(byte[] module, out int importedFunctions)
    {
        importedFunctions = 0;
        var reader = new WasmReader(module, 0, "module");
        reader.ReadBytes(8);
        var bodies = new List<TestFunctionBody>();
        while (!reader.AtEnd)
        {
            var id = reader.ReadByte();
            var size = (int)reader.ReadVarUInt32();
            var start = reader.Position;
            var section = reader.Slice(size, "section");
            if (id == (byte)SectionId.Import)
                importedFunctions = CountImportedFunctions(section);
            if (id != (byte)SectionId.Code)
                continue;
            var count = section.ReadVarUInt32();
            for (var i = 0; i < count; i++)
            {
                var bodySize = (int)section.ReadVarUInt32();
                var bodyStart = section.Position;
                var localGroups = section.ReadVarUInt32();
                var locals = 0;
                for (var g = 0; g < localGroups; g++)
                {
                    locals += (int)section.ReadVarUInt32();
                    section.ReadByte();
                }
                var codeStart = section.Position;
                section.Position = bodyStart + bodySize;
                bodies.Add(new TestFunctionBody(importedFunctions + i, start + bodyStart, start + codeStart, start + codeStart, bodyStart + bodySize - codeStart, locals));
            }
        }
        return bodies;
    }

    private static int CountImportedFunctions(WasmReader section)
    {
        var count = section.ReadVarUInt32();
        var functions = 0;
        for (var i = 0; i < count; i++)
        {
            section.ReadName();
            section.ReadName();
            var kind = section.ReadByte();
            switch (kind)
            {
                case 0:
                    section.ReadVarUInt32();
                    functions++;
                    break;
                case 1:
                    section.ReadByte();
                    ReadLimits(ref section);
                    break;
                case 2:
                    ReadLimits(ref section);
                    break;
                case 3:
                    section.ReadByte();
                    section.ReadByte();
                    break;
                case 4:
                    section.ReadByte();
                    section.ReadVarUInt32();
                    break;
                default:
                    throw new InvalidDataException($"import kind {kind}");
            }
        }
        return functions;
    }

    private static void ReadLimits(ref WasmReader reader)
    {
        var flags = reader.ReadByte();
        reader.ReadVarUInt64();
        if ((flags & 1) != 0)
            reader.ReadVarUInt64();
    }
}
