using System.Text.Json;

namespace Berth.Server.Auth.Token;

/// <summary>
/// The token's <c>access</c> claim as a set: <c>[{"type":"repository","name":"a","actions":["pull"]}]</c>.
/// As registry:2's actionSet, <c>*</c> among a resource's actions grants every action.
/// </summary>
internal sealed class GrantedAccess
{
    public static readonly GrantedAccess None = new(new Dictionary<(string, string), HashSet<string>>());

    private readonly Dictionary<(string Type, string Name), HashSet<string>> _actions;

    private GrantedAccess(Dictionary<(string, string), HashSet<string>> actions) => _actions = actions;

    public bool Contains(AccessRecord record) =>
        _actions.TryGetValue((record.Type, record.Name), out var actions) && (actions.Contains(record.Action) || actions.Contains("*"));

    public static GrantedAccess Parse(JsonElement payload)
    {
        if (!payload.TryGetProperty("access", out var access) || access.ValueKind != JsonValueKind.Array)
        {
            return None;
        }

        var actions = new Dictionary<(string, string), HashSet<string>>();
        foreach (var entry in access.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("actions", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var key = (type.GetString()!, name.GetString()!);
            if (!actions.TryGetValue(key, out var set))
            {
                actions[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (var action in list.EnumerateArray())
            {
                if (action.ValueKind == JsonValueKind.String)
                {
                    set.Add(action.GetString()!);
                }
            }
        }

        return new GrantedAccess(actions);
    }
}
