using Microsoft.AspNetCore.Http;

namespace Berth.Server.Ui;

/// <summary>The list parameters of the UI API: <c>page</c> (from 1), <c>per_page</c> (1–1000, default 100), <c>sort</c>, <c>order</c>.</summary>
internal readonly record struct UiPaging(int Page, int PerPage, string Sort, bool Descending)
{
    public const int DefaultPerPage = 100;
    public const int MaxPerPage = 1000;

    /// <summary>Reads the parameters; a value out of range or a sort key not in <paramref name="sorts"/> is an error message.</summary>
    public static (UiPaging Paging, string? Error) Read(HttpRequest request, params string[] sorts)
    {
        var query = request.Query;
        var page = 1;
        var perPage = DefaultPerPage;
        if (query["page"].ToString() is { Length: > 0 } p && (!int.TryParse(p, out page) || page < 1))
        {
            return (default, "page must be a number from 1");
        }

        if (query["per_page"].ToString() is { Length: > 0 } n && (!int.TryParse(n, out perPage) || perPage is < 1 or > MaxPerPage))
        {
            return (default, $"per_page must be a number from 1 to {MaxPerPage}");
        }

        var sort = query["sort"].ToString() is { Length: > 0 } s ? s : sorts[0];
        if (!sorts.Contains(sort, StringComparer.Ordinal))
        {
            return (default, $"sort must be one of {string.Join(", ", sorts)}");
        }

        var order = query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            return (default, "order must be asc or desc");
        }

        return (new UiPaging(page, perPage, sort, order == "desc"), null);
    }

    public IReadOnlyList<T> Slice<T>(IEnumerable<T> sorted) =>
        sorted.Skip((int)Math.Min(int.MaxValue, (long)(Page - 1) * PerPage)).Take(PerPage).ToList();

    public IOrderedEnumerable<T> Order<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, IComparer<TKey>? comparer = null) =>
        Descending ? items.OrderByDescending(key, comparer) : items.OrderBy(key, comparer);
}
