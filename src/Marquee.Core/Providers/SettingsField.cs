using System.Reflection;

namespace Marquee.Core.Providers;

/// <summary>One field of a provider's settings schema, as the API and the UI see it.</summary>
public sealed record SettingsField(
    string Name,
    int Order,
    string Label,
    FieldKind Kind,
    bool Secret,
    bool Required,
    bool Advanced,
    string? HelpText,
    string ValueType)
{
    /// <summary>The value shown in place of a stored secret.</summary>
    public const string Mask = "********";

    public static IReadOnlyList<SettingsField> Describe(Type settingsType)
    {
        var nullability = new NullabilityInfoContext();
        return settingsType
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Field: p.GetCustomAttribute<FieldAttribute>()))
            .Where(x => x.Field is not null)
            .Select(x => new SettingsField(
                JsonName(x.Property.Name),
                x.Field!.Order,
                x.Field.Label,
                x.Field.Kind,
                x.Field.Secret,
                x.Property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null,
                x.Field.Advanced,
                x.Field.HelpText,
                TypeName(x.Property, nullability)))
            .OrderBy(f => f.Order)
            .ToList();
    }

    /// <summary>The names of the fields the provider renews itself (<see cref="FieldAttribute.Renewed"/>).</summary>
    public static IReadOnlyList<string> Renewed(Type settingsType) =>
        [.. settingsType
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<FieldAttribute>() is { Renewed: true })
            .Select(p => JsonName(p.Name))];

    internal static string JsonName(string propertyName) =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(propertyName);

    private static string TypeName(PropertyInfo property, NullabilityInfoContext context)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var name = type == typeof(bool) ? "boolean"
            : type == typeof(int) || type == typeof(long) ? "integer"
            : type == typeof(double) ? "number"
            : type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) ? "array"
            : "string";
        return context.Create(property).WriteState == NullabilityState.Nullable ? name + "?" : name;
    }
}
