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

    /// <summary>As <see cref="Check"/>, and also parses every typed custom section, as the CLI does.</summary>
    public static WasmFormatException? CheckEverything(byte[] bytes)
    {
        try
        {
            var module = WasmModule.Read(bytes);
            _ = module.Names;
            _ = module.Producers;
            _ = module.TargetFeatures;
            _ = module.BuildId;
            _ = module.ExternalDebugInfo;
            _ = module.SourceMappingUrl;
            _ = module.Linking;
            _ = module.Relocations.ToList();
            ModuleValidator.Validate(module);
            return null;
        }
        catch (WasmFormatException ex)
        {
            return ex;
        }
    }
}
