// Each console transcript starts a whole bot (Quartz keeps one scheduler per name per process): one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
