namespace Marquee.Core.Providers;

public enum FieldKind
{
    Text,
    Url,
    Password,
    Number,
    Checkbox,
    Select,
    Tag,
}
