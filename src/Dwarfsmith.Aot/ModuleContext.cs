using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot;

/// <summary>What every part of one module's translation shares: names, signatures, type ids.</summary>
internal sealed class ModuleContext
{
    private readonly uint[] _functionTypeIndices;

    public ModuleContext(WasmModule module, string lineFileName, ModuleLinkage? linkage, bool split)
    {
        Module = module;
        Linkage = linkage;
        Internal = split ? "" : "static ";
        LineFileName = lineFileName;
        LineDirectiveFile = CTranslator.CString(lineFileName);
        FunctionNames = CNames.FunctionNames(module);

        _functionTypeIndices = new uint[module.FunctionCount];
        Hosts = new HostFunction?[module.ImportedFunctionCount];
        var next = 0;
        for (var i = 0; i < module.Imports.Count; i++)
        {
            var import = module.Imports[i];
            if (import.Kind != ExternalKind.Function)
                continue;
            var type = module.Types[(int)import.TypeIndex];
            _functionTypeIndices[next] = import.TypeIndex;
            Hosts[next] = linkage is null
                ? HostImports.Resolve(import, type)
                : new HostFunction(import.Module, import.Name, linkage.ImportSymbols[i], type);
            next++;
        }
        foreach (var typeIndex in module.FunctionTypeIndices)
            _functionTypeIndices[next++] = typeIndex;

        // Canonical signature ids: the first type index with an equal signature, or the ids the
        // linked program shares.
        TypeIds = new uint[module.Types.Count];
        if (linkage is not null)
        {
            for (var i = 0; i < module.Types.Count; i++)
                TypeIds[i] = linkage.Signatures.IdOf(module.Types[i]);
            return;
        }
        var firstIndex = new Dictionary<FunctionType, uint>();
        for (var i = 0; i < module.Types.Count; i++)
        {
            if (!firstIndex.TryGetValue(module.Types[i], out var id))
            {
                id = (uint)i;
                firstIndex.Add(module.Types[i], id);
            }
            TypeIds[i] = id;
        }
    }

    public WasmModule Module { get; }

    /// <summary>
    /// The storage class of functions and data only the module uses: <c>static</c>, except when the
    /// translation is split into several files, which then share them with external linkage.
    /// </summary>
    public string Internal { get; }

    /// <summary>How the module links with others in one program, or null for a WASI command.</summary>
    public ModuleLinkage? Linkage { get; }

    public string LineFileName { get; }

    /// <summary>The file name as a C string literal for <c>#line</c>.</summary>
    public string LineDirectiveFile { get; }

    public string?[] FunctionNames { get; }

    public HostFunction?[] Hosts { get; }

    public uint[] TypeIds { get; }

    public uint FunctionTypeIndex(uint functionIndex) => _functionTypeIndices[functionIndex];

    public FunctionType FunctionType(uint functionIndex) => Module.Types[(int)_functionTypeIndices[functionIndex]];

    /// <summary>The C function called for a function index: a host function for imports.</summary>
    public string CFunctionName(uint functionIndex) =>
        functionIndex < (uint)Module.ImportedFunctionCount ? Hosts[functionIndex]!.CName : FunctionNames[functionIndex]!;
}
