using Dwarfsmith.Wasm;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Aot;

/// <summary>A function the embedded runtime provides for an import: its C name and signature.</summary>
public sealed record HostFunction(string Module, string Name, string CName, FunctionType Type);

/// <summary>
/// The imports the embedded runtime provides: WASI preview1 (<c>wasi_snapshot_preview1</c>), each as
/// the C function <c>wasi_&lt;name&gt;</c> in Runtime/wasi.c. Any other import is an error at aot time.
/// </summary>
public static class HostImports
{
    public const string WasiModule = "wasi_snapshot_preview1";

    // Signature per function: parameters, then "->", then results; i = i32, I = i64.
    private static readonly (string Name, string Signature)[] s_wasi =
    [
        ("args_get", "ii->i"), ("args_sizes_get", "ii->i"),
        ("environ_get", "ii->i"), ("environ_sizes_get", "ii->i"),
        ("clock_res_get", "ii->i"), ("clock_time_get", "iIi->i"),
        ("fd_advise", "iIIi->i"), ("fd_allocate", "iII->i"),
        ("fd_close", "i->i"), ("fd_datasync", "i->i"), ("fd_sync", "i->i"),
        ("fd_fdstat_get", "ii->i"), ("fd_fdstat_set_flags", "ii->i"), ("fd_fdstat_set_rights", "iII->i"),
        ("fd_filestat_get", "ii->i"), ("fd_filestat_set_size", "iI->i"), ("fd_filestat_set_times", "iIIi->i"),
        ("fd_pread", "iiiIi->i"), ("fd_pwrite", "iiiIi->i"),
        ("fd_prestat_get", "ii->i"), ("fd_prestat_dir_name", "iii->i"),
        ("fd_read", "iiii->i"), ("fd_write", "iiii->i"),
        ("fd_readdir", "iiiIi->i"), ("fd_renumber", "ii->i"),
        ("fd_seek", "iIii->i"), ("fd_tell", "ii->i"),
        ("path_create_directory", "iii->i"), ("path_filestat_get", "iiiii->i"),
        ("path_filestat_set_times", "iiiiIIi->i"), ("path_link", "iiiiiii->i"),
        ("path_open", "iiiiiIIii->i"), ("path_readlink", "iiiiii->i"),
        ("path_remove_directory", "iii->i"), ("path_rename", "iiiiii->i"),
        ("path_symlink", "iiiii->i"), ("path_unlink_file", "iii->i"),
        ("poll_oneoff", "iiii->i"), ("proc_exit", "i->"), ("proc_raise", "i->i"),
        ("sched_yield", "->i"), ("random_get", "ii->i"),
    ];

    private static readonly Dictionary<string, HostFunction> s_functions = s_wasi.ToDictionary(
        f => f.Name,
        f => new HostFunction(WasiModule, f.Name, "wasi_" + f.Name, ParseSignature(f.Signature)),
        StringComparer.Ordinal);

    public static IReadOnlyCollection<HostFunction> All => s_functions.Values;

    /// <summary>The host function for a function import, or an <see cref="AotException"/> naming the import.</summary>
    public static HostFunction Resolve(Import import, FunctionType type)
    {
        if (import.Module != WasiModule || !s_functions.TryGetValue(import.Name, out var host))
            throw new AotException($"unsupported import {import.Module}.{import.Name}: the runtime provides only WASI preview1 ({WasiModule})");
        if (!host.Type.Equals(type))
            throw new AotException($"import {import.Module}.{import.Name} has type {type}, the runtime's has {host.Type}");
        return host;
    }

    private static FunctionType ParseSignature(string signature)
    {
        var arrow = signature.IndexOf("->", StringComparison.Ordinal);
        static ValueType[] Types(string s) => [.. s.Select(c => c == 'I' ? ValueType.I64 : ValueType.I32)];
        return new FunctionType(Types(signature[..arrow]), Types(signature[(arrow + 2)..]));
    }
}
