using System.Text.Json;

namespace Berth.Server.Auth.Token;

/// <summary>
/// The token's <c>access</c> claim as a set: <c>[{"type":"repository","name":"a","actions":["pull"]}]</c>.
/// As registry:2's actionSet, <c>*</c> among a resource's actions grants every action.
/// </summary>
internal sealed class GrantedAccess
{
    public static readonly GrantedAccess None = new(string.Empty, new Dictionary<(string, string), HashSet<string>>());

    private readonly Dictionary<(string Type, string Name), HashSet<string>> _actions;

    private GrantedAccess(string subject, Dictionary<(string, string), HashSet<string>> actions)
    {
        Subject = subject;
        _actions = actions;
    }

    /// <summary>The token's <c>sub</c>: the user it was issued to; empty for an anonymous token.</summary>
    public string Subject { get; }

    public IEnumerable<AccessRecord> Records =>
        _actions.SelectMany(entry => entry.Value.Select(action => new AccessRecord(entry.Key.Type, entry.Key.Name, action)));

    public static GrantedAccess Parse(JsonElement payload)
    {
        var subject = payload.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString()! : string.Empty;
        if (!payload.TryGetProperty("access", out var access) || access.ValueKind != JsonValueKind.Array)
        {
            return subject.Length == 0 ? None : new GrantedAccess(subject, []);
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

        return new GrantedAccess(subject, actions);
    }
}
