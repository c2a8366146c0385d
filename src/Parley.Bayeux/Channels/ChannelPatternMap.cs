using System.Collections.Concurrent;

namespace Parley.Bayeux.Channels;

/// <summary>
/// Maps channel names and patterns to items (subscribers, authorizers, services). A lookup for a
/// concrete channel probes only the names that could match it — the channel itself, its
/// <c>/*</c> and each ancestor's <c>/**</c> — so its cost depends on the channel's depth, never
/// on how many patterns are registered.
/// </summary>
/// <typeparam name="T">The item type; compared by reference equality unless it overrides it.</typeparam>
public sealed class ChannelPatternMap<T> where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Lock _mutation = new();

    /// <summary>Creates an empty map.</summary>
    public ChannelPatternMap() => _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Number of distinct names and patterns with at least one item.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds an item under a name or pattern; false when it was already there.</summary>
    public bool Add(string pattern, T item)
    {
        lock (_mutation)
        {
            if (!_entries.TryGetValue(pattern, out var entry))
            {
                entry = new Entry();
                _entries[pattern] = entry;
            }
            return entry.Add(item);
        }
    }

    /// <summary>Removes an item; false when it was not there.</summary>
    public bool Remove(string pattern, T item)
    {
        lock (_mutation)
        {
            if (!_entries.TryGetValue(pattern, out var entry) || !entry.Remove(item))
                return false;
            if (entry.IsEmpty)
                _entries.TryRemove(pattern, out _);
            return true;
        }
    }

    /// <summary>The items registered under exactly this name or pattern.</summary>
    public T[] Get(string pattern) => _entries.TryGetValue(pattern, out var entry) ? entry.Snapshot() : [];

    /// <summary>
    /// Appends to <paramref name="found"/> one array per registered name that matches the
    /// concrete <paramref name="channel"/>, most specific first. Arrays are shared snapshots:
    /// read them, never change them.
    /// </summary>
    public void Match(string channel, List<T[]> found)
    {
        Probe(channel, found);
        var lastSlash = channel.LastIndexOf('/');
        if (lastSlash < 0)
            return;
        // Longest candidate is the channel's parent plus "/**".
        Span<char> buffer = channel.Length <= 509 ? stackalloc char[channel.Length + 3] : new char[channel.Length + 3];
        channel.AsSpan(0, lastSlash + 1).CopyTo(buffer);
        buffer[lastSlash + 1] = '*';
        Probe(buffer[..(lastSlash + 2)], found);
        // "/**" of the parent and of every ancestor up to the root.
        for (var slash = lastSlash; slash >= 0; slash = slash == 0 ? -1 : channel.LastIndexOf('/', slash - 1))
        {
            channel.AsSpan(0, slash + 1).CopyTo(buffer);
            buffer[slash + 1] = '*';
            buffer[slash + 2] = '*';
            Probe(buffer[..(slash + 3)], found);
        }
    }

    /// <summary>True when any registered name or pattern matches the concrete channel.</summary>
    public bool AnyMatch(string channel)
    {
        // Publishes ask this for every message: reuse one list per thread (taken while in use).
        var found = t_found ?? new List<T[]>(2);
        t_found = null;
        Match(channel, found);
        var any = found.Count > 0;
        found.Clear();
        t_found = found;
        return any;
    }

    [ThreadStatic] private static List<T[]>? t_found;

    private void Probe(ReadOnlySpan<char> name, List<T[]> found)
    {
        if (_lookup.TryGetValue(name, out var entry))
        {
            var items = entry.Snapshot();
            if (items.Length > 0)
                found.Add(items);
        }
    }

    private sealed class Entry
    {
        private readonly HashSet<T> _items = [];
        private T[]? _snapshot;

        public bool IsEmpty
        {
            get
            {
                lock (_items)
                    return _items.Count == 0;
            }
        }

        public bool Add(T item)
        {
            lock (_items)
            {
                if (!_items.Add(item))
                    return false;
                _snapshot = null;
                return true;
            }
        }

        public bool Remove(T item)
        {
            lock (_items)
            {
                if (!_items.Remove(item))
                    return false;
                _snapshot = null;
                return true;
            }
        }

        // Publishing reads a cached array; it is rebuilt once after the set changes.
        public T[] Snapshot()
        {
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is not null)
                return snapshot;
            lock (_items)
                return _snapshot ??= [.. _items];
        }
    }
}
