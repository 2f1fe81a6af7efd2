using System.Security.Cryptography;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CustomSections;
using Dwarfsmith.Wasm.Writing;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>
/// Computes a <c>build_id</c> for a module whose code changed: SHA-256 of the encoded module with
/// the id's bytes zeroed, cut (or repeated) to the id's length, so the same output always gets the
/// same id and a different one gets another.
/// </summary>
public static class BuildIds
{
    /// <summary>The length of an id this library adds where the module had none (an RFC 4122 UUID's).</summary>
    public const int DefaultLength = 16;

    /// <summary>Encodes <paramref name="builder"/> with a <c>build_id</c> of <paramref name="length"/> bytes computed from the result; returns the module and the id.</summary>
    public static (byte[] Module, byte[] Id) EncodeWithNewId(ModuleBuilder builder, int length)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        builder.SetCustom(SingleValueSections.BuildId, SingleValueSections.EncodeBytes(new byte[length]));
        var bytes = builder.ToArray();
        var hash = SHA256.HashData(bytes);
        var id = new byte[length];
        for (int i = 0; i < length; i++)
            id[i] = hash[i % hash.Length];

        var section = WasmModule.Read(bytes).FindCustomSection(SingleValueSections.BuildId)!;
        int valueStart = (int)section.ContentOffset + WasmWriter.SizeOfVarUInt((ulong)length);
        id.CopyTo(bytes.AsSpan(valueStart));
        builder.SetCustom(SingleValueSections.BuildId, SingleValueSections.EncodeBytes(id));
        return (bytes, id);
    }
}
