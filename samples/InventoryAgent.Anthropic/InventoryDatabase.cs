namespace InventoryAgent.Anthropic;

/// <summary>The "database" the agent searches: an in-memory stock list, so the sample needs nothing else.</summary>
internal static class InventoryDatabase
{
    private static readonly (string Item, int Quantity, string Warehouse)[] Stock =
    [
        ("blue widget", 12, "Leeds"),
        ("red widget", 0, "Leeds"),
        ("gadget pro", 4, "Lyon"),
        ("gadget mini", 31, "Lyon"),
    ];

    /// <summary>Rows whose name contains every word of the query, as one line each.</summary>
    public static string Search(string query)
    {
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rows = Stock.Where(s => words.All(w => s.Item.Contains(w, StringComparison.OrdinalIgnoreCase))).ToList();
        return rows.Count == 0
            ? $"No items match '{query}'."
            : string.Join('\n', rows.Select(r => $"{r.Item}: {r.Quantity} in stock ({r.Warehouse})"));
    }
}
