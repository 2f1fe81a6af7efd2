namespace Dwarfsmith.Debugging.Types;

/// <summary>
/// C type names as gdb prints them: the base name, then the declarator built from the inside out
/// ("int *", "const char *", "int [8]", "int (*)(int, int)", "struct node *").
/// </summary>
public static class TypeNames
{
    public static string Of(CType? type)
    {
        var (baseName, declarator) = Compose(type, "", 0);
        return declarator.Length == 0 ? baseName : $"{baseName} {declarator}";
    }

    private static (string Base, string Declarator) Compose(CType? type, string inner, int depth)
    {
        if (type is null)
            return ("void", inner);
        if (depth > 32)
            return ("...", inner);
        switch (type.Kind)
        {
            case CTypeKind.Pointer:
                return Compose(type.Target, "*" + inner, depth + 1);
            case CTypeKind.Array:
            {
                var dims = string.Concat(type.Dimensions.Select(d => d == 0 ? "[]" : $"[{d}]"));
                return Compose(type.Target, Wrap(inner) + dims, depth + 1);
            }

            case CTypeKind.Function:
            {
                var parameters = type.Parameters.Select(Of).ToList();
                if (type.IsVariadic)
                    parameters.Add("...");
                var list = parameters.Count == 0 ? "(void)" : $"({string.Join(", ", parameters)})";
                return Compose(type.Target, Wrap(inner) + list, depth + 1);
            }

            case CTypeKind.Qualified when type.Target?.Kind == CTypeKind.Pointer:
                // A qualified pointer: the qualifier follows its star ("char * const").
                return Compose(type.Target.Target, "* " + type.Qualifier + (inner.Length > 0 ? " " + inner : ""), depth + 1);
            case CTypeKind.Qualified:
            {
                var (name, declarator) = Compose(type.Target, inner, depth + 1);
                return ($"{type.Qualifier} {name}", declarator);
            }

            default:
                return (BaseName(type), inner);
        }
    }

    /// <summary>A pointer declarator inside an array or function declarator needs parentheses.</summary>
    private static string Wrap(string inner) => inner.StartsWith('*') ? $"({inner})" : inner;

    private static string BaseName(CType type) => type.Kind switch
    {
        CTypeKind.Void => "void",
        CTypeKind.Struct => "struct " + (type.Name ?? "{...}"),
        CTypeKind.Union => "union " + (type.Name ?? "{...}"),
        CTypeKind.Enum => "enum " + (type.Name ?? "{...}"),
        _ => type.Name ?? "?",
    };
}
