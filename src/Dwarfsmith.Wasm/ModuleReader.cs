namespace Dwarfsmith.Wasm;

/// <summary>
/// Decodes the module header and every section. Malformed bytes become a
/// <see cref="WasmFormatException"/> naming the section and the absolute offset; type errors are the
/// validator's business.
/// </summary>
internal static class ModuleReader
{
    public static WasmModule Read(ReadOnlyMemory<byte> bytes, WasmFeatures features)
    {
        var module = new WasmModule(bytes, features);
        var reader = new WasmReader(bytes.Span, 0, "module");
        if (reader.Remaining < 4 || reader.ReadFixedUInt32() != WasmModule.Magic)
            throw reader.ErrorAt(0, "magic header not detected");
        if (reader.Remaining < 4)
            throw reader.Error("unexpected end");
        module.Version = reader.ReadFixedUInt32();
        if (module.Version != 1)
            throw reader.ErrorAt(4, $"unknown binary version {module.Version}");

        var sections = new List<Section>();
        var state = new SectionState(module, features);
        var lastOrder = 0;
        while (!reader.AtEnd)
        {
            var start = reader.Position;
            var idByte = reader.ReadByte();
            if (!SectionIds.IsKnown(idByte) || ((SectionId)idByte == SectionId.Tag && (features & WasmFeatures.ExceptionHandling) == 0))
                throw reader.ErrorAt(start, $"malformed section id {idByte}");
            var id = (SectionId)idByte;
            var sizeStart = reader.Position;
            var size = reader.ReadVarUInt32();
            var payloadStart = reader.Position;
            if (size > (uint)reader.Remaining)
                throw new WasmFormatException($"section size {size} exceeds the {reader.Remaining} bytes left: unexpected end",
                    SectionIds.DisplayName(id), sizeStart);
            var payload = reader.Slice((int)size, SectionIds.DisplayName(id));
            var raw = bytes[start..reader.Position];
            Section section;
            if (id == SectionId.Custom)
            {
                var name = payload.ReadName();
                section = new Section(id, name, start, raw, payloadStart - start, payloadStart - start + payload.Position);
            }
            else
            {
                var order = SectionIds.OrderOf(id);
                if (order <= lastOrder)
                    throw reader.ErrorAt(start, $"unexpected {SectionIds.DisplayName(id)}: sections out of order or duplicated");
                lastOrder = order;
                section = new Section(id, null, start, raw, payloadStart - start, payloadStart - start);
                state.ReadSection(section, ref payload);
                if (!payload.AtEnd)
                    throw payload.Error("section size mismatch");
            }
            sections.Add(section);
        }
        module.Sections = sections;
        state.Finish(reader.Length);
        return module;
    }

    /// <summary>What the section parsers share while reading one module.</summary>
    private sealed class SectionState(WasmModule module, WasmFeatures features)
    {
        private uint[]? _functionTypeIndices;
        private bool _sawCode;
        private bool _sawData;

        public void ReadSection(Section section, ref WasmReader reader)
        {
            var memory = section.Content;
            switch (section.Id)
            {
                case SectionId.Type:
                    module.Types = ReadVector(ref reader, 3, static (ref WasmReader r, ReadOnlyMemory<byte> _) => ReadFunctionType(ref r), memory);
                    break;
                case SectionId.Import:
                    ReadImports(ref reader);
                    break;
                case SectionId.Function:
                    _functionTypeIndices = ReadVector(ref reader, 1, static (ref WasmReader r, ReadOnlyMemory<byte> _) => r.ReadVarUInt32(), memory);
                    module.FunctionTypeIndices = _functionTypeIndices;
                    break;
                case SectionId.Table:
                    module.Tables = ReadVector(ref reader, 2, (ref WasmReader r, ReadOnlyMemory<byte> _) => ReadTableType(ref r), memory);
                    break;
                case SectionId.Memory:
                    module.Memories = ReadVector(ref reader, 2, (ref WasmReader r, ReadOnlyMemory<byte> _) => ReadMemoryType(ref r), memory);
                    break;
                case SectionId.Tag:
                    module.Tags = ReadVector(ref reader, 2, static (ref WasmReader r, ReadOnlyMemory<byte> _) => ReadTagType(ref r), memory);
                    break;
                case SectionId.Global:
                    module.Globals = ReadVector(ref reader, 3, static (ref WasmReader r, ReadOnlyMemory<byte> m) =>
                        new Global(ReadGlobalType(ref r), ConstantExpression.Read(ref r, m)), memory);
                    break;
                case SectionId.Export:
                    module.Exports = ReadVector(ref reader, 3, ReadExport, memory);
                    break;
                case SectionId.Start:
                    module.StartFunction = reader.ReadVarUInt32();
                    break;
                case SectionId.Element:
                    module.Elements = ReadVector(ref reader, 2, ReadElementSegment, memory);
                    break;
                case SectionId.DataCount:
                    module.DataCount = reader.ReadVarUInt32();
                    break;
                case SectionId.Code:
                    ReadCode(section, ref reader);
                    break;
                case SectionId.Data:
                    _sawData = true;
                    module.Data = ReadVector(ref reader, 2, ReadDataSegment, memory);
                    break;
            }
        }

        public void Finish(long fileLength)
        {
            var declared = _functionTypeIndices?.Length ?? 0;
            if (declared != module.Bodies.Count)
                throw new WasmFormatException(
                    $"function and code section have inconsistent lengths ({declared} functions, {module.Bodies.Count} bodies)",
                    _sawCode ? "code section" : "function section",
                    module.CodeSection?.Offset ?? fileLength);
            if (module.DataCount is { } dataCount && dataCount != module.Data.Count)
            {
                var section = module.FindSection(SectionId.Data) ?? module.FindSection(SectionId.DataCount)!;
                throw new WasmFormatException(
                    $"data count and data section have inconsistent lengths ({dataCount} declared, {module.Data.Count} segments)",
                    _sawData ? "data section" : "data count section", section.Offset);
            }
        }

        private delegate T ItemReader<T>(ref WasmReader reader, ReadOnlyMemory<byte> content);

        private static T[] ReadVector<T>(ref WasmReader reader, int minItemBytes, ItemReader<T> readItem, ReadOnlyMemory<byte> content)
        {
            var count = reader.ReadCount(minItemBytes);
            var items = new T[count];
            for (var i = 0; i < count; i++)
                items[i] = readItem(ref reader, content);
            return items;
        }

        private static FunctionType ReadFunctionType(ref WasmReader reader)
        {
            var start = reader.Position;
            var form = reader.ReadByte();
            if (form != 0x60)
                throw reader.ErrorAt(start, $"malformed function type form 0x{form:X2} (expected 0x60)");
            return new FunctionType(ReadValueTypes(ref reader), ReadValueTypes(ref reader));
        }

        private static ValueType[] ReadValueTypes(ref WasmReader reader)
        {
            var count = reader.ReadCount();
            if (count == 0)
                return [];
            var types = new ValueType[count];
            for (var i = 0; i < count; i++)
                types[i] = ValueTypes.ReadValueType(ref reader);
            return types;
        }

        private void ReadImports(ref WasmReader reader)
        {
            var count = reader.ReadCount(4);
            var imports = new Import[count];
            for (var i = 0; i < count; i++)
            {
                var moduleName = reader.ReadName();
                var name = reader.ReadName();
                var kindStart = reader.Position;
                var kind = reader.ReadByte();
                imports[i] = kind switch
                {
                    0 => new Import(moduleName, name, ExternalKind.Function, TypeIndex: reader.ReadVarUInt32()),
                    1 => new Import(moduleName, name, ExternalKind.Table, Table: ReadTableType(ref reader)),
                    2 => new Import(moduleName, name, ExternalKind.Memory, Memory: ReadMemoryType(ref reader)),
                    3 => new Import(moduleName, name, ExternalKind.Global, Global: ReadGlobalType(ref reader)),
                    4 when (features & WasmFeatures.ExceptionHandling) != 0 => new Import(moduleName, name, ExternalKind.Tag, Tag: ReadTagType(ref reader)),
                    _ => throw reader.ErrorAt(kindStart, $"malformed import kind {kind}"),
                };
                switch (imports[i].Kind)
                {
                    case ExternalKind.Function: module.ImportedFunctionCount++; break;
                    case ExternalKind.Table: module.ImportedTableCount++; break;
                    case ExternalKind.Memory: module.ImportedMemoryCount++; break;
                    case ExternalKind.Global: module.ImportedGlobalCount++; break;
                    case ExternalKind.Tag: module.ImportedTagCount++; break;
                }
            }
            module.Imports = imports;
        }

        private TableType ReadTableType(ref WasmReader reader)
        {
            var elementType = ValueTypes.ReadReferenceType(ref reader);
            return new TableType(elementType, ReadLimits(ref reader, isMemory: false));
        }

        private MemoryType ReadMemoryType(ref WasmReader reader) => new(ReadLimits(ref reader, isMemory: true));

        private Limits ReadLimits(ref WasmReader reader, bool isMemory)
        {
            var start = reader.Position;
            // One flags byte: "\81\00" is not an overlong zero but a bad flag.
            var flags = (uint)reader.ReadByte();
            var allowed = 1u;
            if (isMemory && (features & WasmFeatures.Threads) != 0)
                allowed |= 2;
            if (isMemory && (features & WasmFeatures.Memory64) != 0)
                allowed |= 4;
            if ((flags & ~allowed) != 0)
                throw reader.ErrorAt(start, $"malformed limits flags 0x{flags:X2}");
            var is64 = (flags & 4) != 0;
            ulong minimum = is64 ? reader.ReadVarUInt64() : reader.ReadVarUInt32();
            ulong? maximum = (flags & 1) != 0 ? (is64 ? reader.ReadVarUInt64() : reader.ReadVarUInt32()) : null;
            return new Limits(minimum, maximum, Shared: (flags & 2) != 0, Is64: is64);
        }

        private static GlobalType ReadGlobalType(ref WasmReader reader)
        {
            var type = ValueTypes.ReadValueType(ref reader);
            var start = reader.Position;
            var mutability = reader.ReadByte();
            if (mutability > 1)
                throw reader.ErrorAt(start, $"malformed mutability 0x{mutability:X2}");
            return new GlobalType(type, mutability == 1);
        }

        private static TagType ReadTagType(ref WasmReader reader)
        {
            var start = reader.Position;
            var attribute = reader.ReadByte();
            if (attribute != 0)
                throw reader.ErrorAt(start, $"malformed tag attribute {attribute}");
            return new TagType(attribute, reader.ReadVarUInt32());
        }

        private Export ReadExport(ref WasmReader reader, ReadOnlyMemory<byte> content)
        {
            var name = reader.ReadName();
            var kindStart = reader.Position;
            var kind = reader.ReadByte();
            if (kind > 4 || (kind == 4 && (features & WasmFeatures.ExceptionHandling) == 0))
                throw reader.ErrorAt(kindStart, $"malformed export kind {kind}");
            return new Export(name, (ExternalKind)kind, reader.ReadVarUInt32());
        }

        private static ElementSegment ReadElementSegment(ref WasmReader reader, ReadOnlyMemory<byte> content)
        {
            var start = reader.Position;
            var flags = reader.ReadVarUInt32();
            if (flags > 7)
                throw reader.ErrorAt(start, $"malformed elements segment kind {flags}");
            var mode = (flags & 1) == 0 ? SegmentMode.Active : (flags & 2) == 0 ? SegmentMode.Passive : SegmentMode.Declarative;
            var tableIndex = (flags & 3) == 2 ? reader.ReadVarUInt32() : 0;
            var offset = mode == SegmentMode.Active ? ConstantExpression.Read(ref reader, content) : null;
            var usesExpressions = (flags & 4) != 0;
            var elementType = ValueType.FuncRef;
            if ((flags & 3) != 0)
            {
                if (usesExpressions)
                {
                    elementType = ValueTypes.ReadReferenceType(ref reader);
                }
                else
                {
                    var kindStart = reader.Position;
                    var elementKind = reader.ReadByte();
                    if (elementKind != 0)
                        throw reader.ErrorAt(kindStart, $"malformed element kind 0x{elementKind:X2}");
                }
            }
            if (usesExpressions)
            {
                var expressions = ReadVector(ref reader, 2, static (ref WasmReader r, ReadOnlyMemory<byte> m) => ConstantExpression.Read(ref r, m), content);
                return new ElementSegment { Flags = flags, Mode = mode, TableIndex = tableIndex, Offset = offset, ElementType = elementType, Expressions = expressions };
            }
            var indices = ReadVector(ref reader, 1, static (ref WasmReader r, ReadOnlyMemory<byte> _) => r.ReadVarUInt32(), content);
            return new ElementSegment { Flags = flags, Mode = mode, TableIndex = tableIndex, Offset = offset, ElementType = elementType, FunctionIndices = indices };
        }

        private static DataSegment ReadDataSegment(ref WasmReader reader, ReadOnlyMemory<byte> content)
        {
            var start = reader.Position;
            var flags = reader.ReadVarUInt32();
            if (flags > 2)
                throw reader.ErrorAt(start, $"malformed data segment kind {flags}");
            var memoryIndex = flags == 2 ? reader.ReadVarUInt32() : 0;
            var offset = flags != 1 ? ConstantExpression.Read(ref reader, content) : null;
            var length = reader.ReadVarUInt32();
            if (length > (uint)reader.Remaining)
                throw reader.Error("unexpected end of section or function");
            var dataStart = reader.Position;
            reader.ReadBytes((int)length);
            return new DataSegment
            {
                Flags = flags,
                Mode = flags == 1 ? SegmentMode.Passive : SegmentMode.Active,
                MemoryIndex = memoryIndex,
                Offset = offset,
                Data = content.Slice(dataStart, (int)length),
                DataOffset = reader.BaseOffset + dataStart,
            };
        }

        private void ReadCode(Section section, ref WasmReader reader)
        {
            _sawCode = true;
            var count = reader.ReadCount(2);
            var declared = _functionTypeIndices?.Length ?? 0;
            if (count != declared)
                throw reader.ErrorAt(0, $"function and code section have inconsistent lengths ({declared} functions, {count} bodies)");
            var bodies = new FunctionBody[count];
            var content = section.Content;
            for (var i = 0; i < count; i++)
            {
                var sizeStart = reader.Position;
                var size = reader.ReadVarUInt32();
                var bodyStart = reader.Position;
                if (size == 0)
                    throw reader.ErrorAt(sizeStart, "function body is empty");
                if (size > (uint)reader.Remaining)
                    throw reader.ErrorAt(sizeStart, "unexpected end of section or function");
                reader.ReadBytes((int)size);
                bodies[i] = new FunctionBody(
                    (uint)(module.ImportedFunctionCount + i),
                    reader.BaseOffset + sizeStart,
                    reader.BaseOffset + bodyStart,
                    (uint)bodyStart,
                    content.Slice(bodyStart, (int)size));
            }
            module.Bodies = bodies;
        }
    }
}
