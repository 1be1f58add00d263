/// Runs `release(resource)` where MPI may be called: here, or, under the
/// async MPI.run below MPI_THREAD_MULTIPLE, when this is not the MPI thread
/// (the last reference to an MPI object may go on a child task's thread), in
/// a task on the MPI thread. The deinitializers of every object that frees an
/// MPI handle go through it; `release` captures nothing, so the common path
/// allocates nothing.
internal func releaseOnMPIThread<Resource>(_ resource: Resource, _ release: @escaping (Resource) -> Void) {
    if MPIEnvironmentState.phase == .activeOnMPIThread && !MPIExecutor.isCurrentThread {
        let work = UncheckedSendable((resource, release))
        Task { @MPIActor in work.value.1(work.value.0) }
        return
    }
    release(resource)
}
