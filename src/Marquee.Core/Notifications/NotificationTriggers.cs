namespace Marquee.Core.Notifications;

/// <summary>The triggers a channel can turn on, each with its colour (Discord), tags and priority (ntfy) and default wording.</summary>
public static class NotificationTriggers
{
    public const string Play = "play";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Stop = "stop";
    public const string Finished = "finished";
    public const string Rating = "rating";
    public const string NewItem = "new-item";
    public const string NewDevice = "new-device";
    public const string DatabaseBackup = "database-backup";
    public const string DatabaseCorrupted = "database-corrupted";
    public const string RunFailed = "run-failed";
    public const string RunHeld = "run-held";
    public const string ItemsUnresolved = "items-unresolved";
    public const string ConnectionUnreachable = "connection-unreachable";
    public const string ConnectionUnauthorized = "connection-unauthorized";
    public const string DeliveryDead = "delivery-dead";
    public const string Sessions = "sessions";
    public const string SessionRule = "session-rule";
    public const string TrashRefused = "trash-refused";

    /// <summary>Every trigger with what a message for it looks like by default.</summary>
    public static IReadOnlyDictionary<string, TriggerStyle> Styles { get; } = new Dictionary<string, TriggerStyle>(StringComparer.Ordinal)
    {
        [Play] = new(0xE5A00D, ["arrow_forward"], 3, "{{ user }} started {{ full_title }}", "{{ media_type | capitalize }} on **{{ player }}**{% if platform %} ({{ platform }}){% endif %}{% if duration %}, {{ duration }}{% endif %}."),
        [Pause] = new(0x8E9297, ["pause_button"], 2, "{{ user }} paused {{ full_title }}", "Paused at {{ progress }}% on **{{ player }}**."),
        [Resume] = new(0x5865F2, ["arrow_forward"], 2, "{{ user }} resumed {{ full_title }}", "Resumed at {{ progress }}% on **{{ player }}**."),
        [Stop] = new(0x99AAB5, ["stop_button"], 2, "{{ user }} stopped {{ full_title }}", "Stopped at {{ progress }}% on **{{ player }}**."),
        [Finished] = new(0x57F287, ["white_check_mark"], 3, "{{ user }} finished {{ full_title }}", "Watched {{ progress }}%{% if player %} on **{{ player }}**{% endif %}."),
        [Rating] = new(0xFEE75C, ["star"], 3, "{{ user }} rated {{ full_title }}", "{% if rating %}Rated {{ rating }}/10.{% else %}Rating cleared.{% endif %}"),
        [NewItem] = new(0x3BA55C, ["new"], 3, "New {{ media_type }}: {{ full_title }}", "Added to {{ library | default: 'the library' }}."),
        [NewDevice] = new(0x5865F2, ["iphone"], 3, "New device on {{ server }}", "{{ user }} played on a device the server had not seen{% if player %}: **{{ player }}**{% endif %}."),
        [DatabaseBackup] = new(0x57F287, ["floppy_disk"], 2, "Database backed up", "{{ server }} backed its database up."),
        [DatabaseCorrupted] = new(0xED4245, ["rotating_light"], 5, "Database corrupted", "{{ server }} found its database corrupted."),
        [RunFailed] = new(0xED4245, ["x"], 4, "Sync run failed: {{ flow }}", "{{ reason }}"),
        [RunHeld] = new(0xFAA61A, ["warning"], 4, "Sync run held: {{ flow }}", "{{ reason }}"),
        [ItemsUnresolved] = new(0xFAA61A, ["grey_question"], 3, "{{ count }} items unresolved: {{ flow }}", "{{ reason }}"),
        [ConnectionUnreachable] = new(0xED4245, ["electric_plug"], 4, "Connection unreachable: {{ connection }}", "{{ reason }}"),
        [ConnectionUnauthorized] = new(0xED4245, ["key"], 4, "Token refused: {{ connection }}", "The token of {{ connection }} was refused (expired or revoked): {{ reason }}"),
        [Sessions] = new(0x5865F2, ["tv"], 2, "Now streaming: {{ count }}", "{{ sessions }}"),
        [DeliveryDead] = new(0xED4245, ["skull"], 4, "Delivery dead-lettered", "{{ delivery }}: {{ reason }}"),
        [SessionRule] = new(0xED4245, ["no_entry"], 4, "Session rule: {{ user }} on {{ player }}", "{{ reason }}"),
        [TrashRefused] = new(0xED4245, ["wastebasket"], 5, "Trash of {{ library }} not emptied", "{{ reason }}"),
    };

    public static IReadOnlyList<string> All { get; } = [.. Styles.Keys];

    public static bool IsKnown(string name) => Styles.ContainsKey(name);
}

/// <summary>What a trigger's message looks like by default.</summary>
/// <param name="Color">Discord embed colour (RGB).</param>
/// <param name="Tags">ntfy tags (emoji short codes).</param>
/// <param name="Priority">ntfy priority, 1 to 5.</param>
/// <param name="Title">Default title template.</param>
/// <param name="Body">Default body template.</param>
public sealed record TriggerStyle(int Color, IReadOnlyList<string> Tags, int Priority, string Title, string Body);
