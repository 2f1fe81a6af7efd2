using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

public sealed partial class DwarfTransform
{
    /// <summary>Location lists go to the worker in batches of this many: one job each would cost more than a small list's translation.</summary>
    private const int LocationBatchSize = 512;

    private LocationBatch? _pendingLocations;
    private readonly Stack<LocationBatch> _freeLocationBatches = new();

    /// <summary>
    /// How many expressions with references the walk had registered when the worker's current job
    /// was queued: the job's own go after them, in the order a walk on one thread registers them.
    /// </summary>
    private int _workerJobPosition;

    /// <summary>Expression references the worker registered, and where among the walk's they belong.</summary>
    private readonly record struct WorkerReferences(int Position, List<ExpressionReference> References);

    /// <summary>A location list the walk added to its unit, for the worker to fill in.</summary>
    /// <param name="Position">How many expressions with references the walk had registered before it (see <see cref="_workerJobPosition"/>).</param>
    /// <param name="Context">The entry and attribute that refer to the list.</param>
    private readonly record struct PendingLocationList(LocationList List, ulong Offset, int Position, MappingContext Context);

    /// <summary>Lists of one unit, queued together; reused once the worker is done with them.</summary>
    private sealed class LocationBatch
    {
        public UnitState State { get; set; } = null!;

        public ValueList<PendingLocationList> Lists { get; } = new(LocationBatchSize);
    }

    private void QueueLocationList(in PendingLocationList pending, UnitState state)
    {
        if (_pendingLocations is { } open && open.State != state)
            FlushLocationLists();
        if (_pendingLocations is null)
        {
            lock (_freeLocationBatches)
                _pendingLocations = _freeLocationBatches.Count > 0 ? _freeLocationBatches.Pop() : new LocationBatch();
            _pendingLocations.State = state;
        }

        _pendingLocations.Lists.Add(pending);
        if (_pendingLocations.Lists.Count == LocationBatchSize)
            FlushLocationLists();
    }

    /// <summary>Queues the lists gathered so far (at a batch's end, a unit's end, before a line program's rows, at the walk's end, or when the walk fails).</summary>
    private void FlushLocationLists()
    {
        if (_pendingLocations is not { } batch)
            return;
        _pendingLocations = null;
        _workerQueue!.Enqueue(() => FillLocationLists(batch));
    }

    private void FillLocationLists(LocationBatch batch)
    {
        foreach (ref readonly var pending in batch.Lists)
        {
            _workerJobPosition = pending.Position;
            _worker!.Context = pending.Context;
            FillLocationList(pending.List, batch.State.Input.ReadLocationList(pending.Offset), batch.State, _worker!);
        }

        batch.Lists.Clear();
        lock (_freeLocationBatches)
            _freeLocationBatches.Push(batch);
    }
}
