namespace Dwarfsmith.Wasm.Validation;

/// <summary>What validating a module established, and the context its bodies were checked against.</summary>
public sealed record ValidationResult(int FunctionCount, long InstructionCount, ValidationContext Context);

/// <summary>
/// Validates a decoded module: index spaces, limits, constant expressions, segments, exports,
/// start function, and every function body. Throws <see cref="WasmFormatException"/> at the first error.
/// </summary>
public static class ModuleValidator
{
    private const ulong MaxPages = 65536;

    /// <summary>Validates <paramref name="module"/>: declarations, then every function body.</summary>
    public static ValidationResult Validate(WasmModule module)
    {
        var observer = default(NoObserver);
        return Validate(module, ref observer);
    }

    /// <summary>Validates <paramref name="module"/>, reporting every instruction's operand types to <paramref name="observer"/>.</summary>
    public static ValidationResult Validate<TObserver>(WasmModule module, ref TObserver observer)
        where TObserver : IValidationObserver
    {
        var context = ValidationContext.FromModule(module);
        ValidateDeclarations(module, context);
        var validator = new FunctionValidator(context);
        foreach (var body in module.Bodies)
            validator.Validate(body, ref observer);
        return new ValidationResult(module.Bodies.Count, validator.InstructionCount, context);
    }

    /// <summary>Everything except function bodies (for callers that validate bodies themselves, e.g. with an observer).</summary>
    public static void ValidateDeclarations(WasmModule module, ValidationContext context)
    {
        var typeCount = (uint)context.Types.Count;

        long Offset(SectionId id) => module.FindSection(id)?.Offset ?? 0;
        WasmFormatException Error(SectionId id, string reason) => new(reason, SectionIds.DisplayName(id), Offset(id));

        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function when import.TypeIndex >= typeCount:
                    throw Error(SectionId.Import, $"unknown type {import.TypeIndex}");
                case ExternalKind.Table:
                    CheckLimits(import.Table.Limits, uint.MaxValue, "table size", SectionId.Import);
                    break;
                case ExternalKind.Memory:
                    CheckMemory(import.Memory, SectionId.Import);
                    break;
                case ExternalKind.Tag:
                    CheckTag(import.Tag.TypeIndex, SectionId.Import);
                    break;
            }
        }
        foreach (var typeIndex in module.FunctionTypeIndices)
        {
            if (typeIndex >= typeCount)
                throw Error(SectionId.Function, $"unknown type {typeIndex}");
        }
        foreach (var table in module.Tables)
            CheckLimits(table.Limits, uint.MaxValue, "table size", SectionId.Table);
        foreach (var memory in module.Memories)
            CheckMemory(memory, SectionId.Memory);
        if (context.Memories.Length > 1 && !context.Has(WasmFeatures.MultiMemory))
            throw Error(module.Memories.Count > 0 ? SectionId.Memory : SectionId.Import, "multiple memories");
        foreach (var tag in module.Tags)
            CheckTag(tag.TypeIndex, SectionId.Tag);

        var extended = context.Has(WasmFeatures.ExtendedConst);
        for (var i = 0; i < module.Globals.Count; i++)
        {
            var global = module.Globals[i];
            var visible = extended ? context.ImportedGlobalCount + i : context.ImportedGlobalCount;
            ConstantExpressionValidator.Validate(context, global.Init, global.Type.ValueType, "global section", visible);
        }
        var offsetGlobals = extended ? context.Globals.Length : context.ImportedGlobalCount;

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in module.Exports)
        {
            if (!names.Add(export.Name))
                throw Error(SectionId.Export, $"duplicate export name \"{export.Name}\"");
            var (count, what) = export.Kind switch
            {
                ExternalKind.Function => (context.FunctionTypeIndices.Length, "function"),
                ExternalKind.Table => (context.Tables.Length, "table"),
                ExternalKind.Memory => (context.Memories.Length, "memory"),
                ExternalKind.Global => (context.Globals.Length, "global"),
                _ => (context.TagTypeIndices.Length, "tag"),
            };
            if (export.Index >= (uint)count)
                throw Error(SectionId.Export, $"unknown {what} {export.Index}");
        }

        if (module.StartFunction is { } start)
        {
            var type = context.FunctionTypeOf(start) ?? throw Error(SectionId.Start, $"unknown function {start}");
            if (type.Parameters.Length != 0 || type.Results.Length != 0)
                throw Error(SectionId.Start, "start function must have type [] -> []");
        }

        foreach (var element in module.Elements)
        {
            if (element.Mode == SegmentMode.Active)
            {
                if (element.TableIndex >= (uint)context.Tables.Length)
                    throw Error(SectionId.Element, $"unknown table {element.TableIndex}");
                ConstantExpressionValidator.Validate(context, element.Offset!, ValueType.I32, "element section", offsetGlobals);
                var tableType = context.Tables[element.TableIndex].ElementType;
                if (tableType != element.ElementType)
                    throw Error(SectionId.Element, $"type mismatch: element segment of {element.ElementType.Name()} for a table of {tableType.Name()}");
            }
            if (element.FunctionIndices is { } indices)
            {
                foreach (var index in indices)
                {
                    if (index >= (uint)context.FunctionTypeIndices.Length)
                        throw Error(SectionId.Element, $"unknown function {index}");
                }
            }
            else if (element.Expressions is { } expressions)
            {
                foreach (var expression in expressions)
                    ConstantExpressionValidator.Validate(context, expression, element.ElementType, "element section", offsetGlobals);
            }
        }

        foreach (var segment in module.Data)
        {
            if (segment.Mode != SegmentMode.Active)
                continue;
            if (segment.MemoryIndex >= (uint)context.Memories.Length)
                throw Error(SectionId.Data, $"unknown memory {segment.MemoryIndex}");
            var addressType = context.Memories[segment.MemoryIndex].Limits.Is64 ? ValueType.I64 : ValueType.I32;
            ConstantExpressionValidator.Validate(context, segment.Offset!, addressType, "data section", offsetGlobals);
        }

        void CheckLimits(Limits limits, ulong bound, string what, SectionId section)
        {
            if (limits.Minimum > bound)
                throw Error(section, $"{what} must be at most {bound}");
            if (limits.Maximum is { } maximum)
            {
                if (maximum > bound)
                    throw Error(section, $"{what} must be at most {bound}");
                if (limits.Minimum > maximum)
                    throw Error(section, "size minimum must not be greater than maximum");
            }
        }

        void CheckMemory(MemoryType memory, SectionId section)
        {
            var limits = memory.Limits;
            if (limits.Is64 && !context.Has(WasmFeatures.Memory64))
                throw Error(section, "memory64 is not enabled");
            var bound = limits.Is64 ? 1UL << 48 : MaxPages;
            if (limits.Minimum > bound || (limits.Maximum is { } max && max > bound))
                throw Error(section, "memory size must be at most 65536 pages (4GiB)");
            CheckLimits(limits, bound, "memory size", section);
            if (limits.Shared && limits.Maximum is null)
                throw Error(section, "shared memory must have maximum");
        }

        void CheckTag(uint typeIndex, SectionId section)
        {
            if (typeIndex >= typeCount)
                throw Error(section, $"unknown type {typeIndex}");
            if (context.Types[(int)typeIndex].Results.Length != 0)
                throw Error(section, "non-empty tag result type");
        }
    }
}
