namespace Parley.Bench.Bayeux;

/// <summary>Receives the broadcast deliveries of a client, on that client's receive path (never concurrently for one client).</summary>
internal interface IDeliverySink
{
    void OnDelivery(BayeuxClient client, ref WireMessage message);
}
