using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Wasm.Tests;

/// <summary>The whole acceptance pipeline the tests apply to a module: read, decode every instruction, validate.</summary>
internal static class WasmChecks
{
    /// <summary>Null when the module is accepted, else the format error.</summary>
    public static WasmFormatException? Check(byte[] bytes, WasmFeatures features = WasmFeatures.All)
    {
        try
        {
            var module = WasmModule.Read(bytes, features);
            ModuleValidator.Validate(module);
            return null;
        }
        catch (WasmFormatException ex)
        {
            return ex;
        }
    }
}
