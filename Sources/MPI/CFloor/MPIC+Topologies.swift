import CMPI

// The MPI C functions of one chapter, process topologies and neighbourhood
// collectives, each wrapped once; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Dims_create`.
    @inlinable @inline(__always)
    internal static func dimsCreate(_ nnodes: CInt, _ ndims: CInt, _ dims: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Dims_create", MPI_Dims_create(nnodes, ndims, dims))
    }

    /// `MPI_Cart_create`.
    @inlinable @inline(__always)
    internal static func cartCreate(_ comm: CommunicatorHandle, _ ndims: CInt, _ dims: UnsafePointer<CInt>?, _ periods: UnsafePointer<CInt>?, _ reorder: CInt, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Cart_create", MPI_Cart_create(comm, ndims, dims, periods, reorder, newcomm))
    }

    /// `MPI_Cartdim_get`.
    @inlinable @inline(__always)
    internal static func cartdimGet(_ comm: CommunicatorHandle, _ ndims: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Cartdim_get", MPI_Cartdim_get(comm, ndims))
    }

    /// `MPI_Cart_get`.
    @inlinable @inline(__always)
    internal static func cartGet(_ comm: CommunicatorHandle, _ maxdims: CInt, _ dims: UnsafeMutablePointer<CInt>?, _ periods: UnsafeMutablePointer<CInt>?, _ coords: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Cart_get", MPI_Cart_get(comm, maxdims, dims, periods, coords))
    }

    /// `MPI_Cart_rank`.
    @inlinable @inline(__always)
    internal static func cartRank(_ comm: CommunicatorHandle, _ coords: UnsafePointer<CInt>?, _ rank: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Cart_rank", MPI_Cart_rank(comm, coords, rank))
    }

    /// `MPI_Cart_coords`.
    @inlinable @inline(__always)
    internal static func cartCoords(_ comm: CommunicatorHandle, _ rank: CInt, _ maxdims: CInt, _ coords: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Cart_coords", MPI_Cart_coords(comm, rank, maxdims, coords))
    }

    /// `MPI_Cart_shift`.
    @inlinable @inline(__always)
    internal static func cartShift(_ comm: CommunicatorHandle, _ direction: CInt, _ disp: CInt, _ rankSource: UnsafeMutablePointer<CInt>?, _ rankDest: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Cart_shift", MPI_Cart_shift(comm, direction, disp, rankSource, rankDest))
    }

    /// `MPI_Cart_sub`.
    @inlinable @inline(__always)
    internal static func cartSub(_ comm: CommunicatorHandle, _ remainDims: UnsafePointer<CInt>?, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Cart_sub", MPI_Cart_sub(comm, remainDims, newcomm))
    }

    /// `MPI_Cart_map`.
    @inlinable @inline(__always)
    internal static func cartMap(_ comm: CommunicatorHandle, _ ndims: CInt, _ dims: UnsafePointer<CInt>?, _ periods: UnsafePointer<CInt>?, _ newrank: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Cart_map", MPI_Cart_map(comm, ndims, dims, periods, newrank))
    }

    /// `MPI_Graph_create`.
    @inlinable @inline(__always)
    internal static func graphCreate(_ comm: CommunicatorHandle, _ nnodes: CInt, _ index: UnsafePointer<CInt>?, _ edges: UnsafePointer<CInt>?, _ reorder: CInt, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Graph_create", MPI_Graph_create(comm, nnodes, index, edges, reorder, newcomm))
    }

    /// `MPI_Graphdims_get`.
    @inlinable @inline(__always)
    internal static func graphdimsGet(_ comm: CommunicatorHandle, _ nnodes: UnsafeMutablePointer<CInt>?, _ nedges: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Graphdims_get", MPI_Graphdims_get(comm, nnodes, nedges))
    }

    /// `MPI_Graph_get`.
    @inlinable @inline(__always)
    internal static func graphGet(_ comm: CommunicatorHandle, _ maxindex: CInt, _ maxedges: CInt, _ index: UnsafeMutablePointer<CInt>?, _ edges: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Graph_get", MPI_Graph_get(comm, maxindex, maxedges, index, edges))
    }

    /// `MPI_Graph_neighbors_count`.
    @inlinable @inline(__always)
    internal static func graphNeighborsCount(_ comm: CommunicatorHandle, _ rank: CInt, _ nneighbors: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Graph_neighbors_count", MPI_Graph_neighbors_count(comm, rank, nneighbors))
    }

    /// `MPI_Graph_neighbors`.
    @inlinable @inline(__always)
    internal static func graphNeighbors(_ comm: CommunicatorHandle, _ rank: CInt, _ maxneighbors: CInt, _ neighbors: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Graph_neighbors", MPI_Graph_neighbors(comm, rank, maxneighbors, neighbors))
    }

    /// `MPI_Graph_map`.
    @inlinable @inline(__always)
    internal static func graphMap(_ comm: CommunicatorHandle, _ nnodes: CInt, _ index: UnsafePointer<CInt>?, _ edges: UnsafePointer<CInt>?, _ newrank: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Graph_map", MPI_Graph_map(comm, nnodes, index, edges, newrank))
    }

    /// `MPI_Dist_graph_create_adjacent`.
    @inlinable @inline(__always)
    internal static func distGraphCreateAdjacent(_ comm: CommunicatorHandle, _ indegree: CInt, _ sources: UnsafePointer<CInt>?, _ sourceweights: UnsafePointer<CInt>?, _ outdegree: CInt, _ destinations: UnsafePointer<CInt>?, _ destweights: UnsafePointer<CInt>?, _ info: InfoHandle, _ reorder: CInt, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Dist_graph_create_adjacent", MPI_Dist_graph_create_adjacent(comm, indegree, sources, sourceweights, outdegree, destinations, destweights, info, reorder, newcomm))
    }

    /// `MPI_Dist_graph_create`.
    @inlinable @inline(__always)
    internal static func distGraphCreate(_ comm: CommunicatorHandle, _ n: CInt, _ sources: UnsafePointer<CInt>?, _ degrees: UnsafePointer<CInt>?, _ destinations: UnsafePointer<CInt>?, _ weights: UnsafePointer<CInt>?, _ info: InfoHandle, _ reorder: CInt, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Dist_graph_create", MPI_Dist_graph_create(comm, n, sources, degrees, destinations, weights, info, reorder, newcomm))
    }

    /// `MPI_Dist_graph_neighbors_count`.
    @inlinable @inline(__always)
    internal static func distGraphNeighborsCount(_ comm: CommunicatorHandle, _ indegree: UnsafeMutablePointer<CInt>?, _ outdegree: UnsafeMutablePointer<CInt>?, _ weighted: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Dist_graph_neighbors_count", MPI_Dist_graph_neighbors_count(comm, indegree, outdegree, weighted))
    }

    /// `MPI_Dist_graph_neighbors`.
    @inlinable @inline(__always)
    internal static func distGraphNeighbors(_ comm: CommunicatorHandle, _ maxindegree: CInt, _ sources: UnsafeMutablePointer<CInt>?, _ sourceweights: UnsafeMutablePointer<CInt>?, _ maxoutdegree: CInt, _ destinations: UnsafeMutablePointer<CInt>?, _ destweights: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Dist_graph_neighbors", MPI_Dist_graph_neighbors(comm, maxindegree, sources, sourceweights, maxoutdegree, destinations, destweights))
    }

    /// `MPI_Topo_test`.
    @inlinable @inline(__always)
    internal static func topoTest(_ comm: CommunicatorHandle, _ status: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Topo_test", MPI_Topo_test(comm, status))
    }

    /// `MPI_Neighbor_allgather`.
    @inlinable @inline(__always)
    internal static func neighborAllgather(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Neighbor_allgather", MPI_Neighbor_allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))
    }

    /// `MPI_Ineighbor_allgather`.
    @inlinable @inline(__always)
    internal static func ineighborAllgather(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ineighbor_allgather", MPI_Ineighbor_allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request))
    }

    /// `MPI_Neighbor_allgatherv`.
    @inlinable @inline(__always)
    internal static func neighborAllgatherv(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Neighbor_allgatherv", MPI_Neighbor_allgatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm))
    }

    /// `MPI_Ineighbor_allgatherv`.
    @inlinable @inline(__always)
    internal static func ineighborAllgatherv(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ineighbor_allgatherv", MPI_Ineighbor_allgatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm, request))
    }

    /// `MPI_Neighbor_alltoall`.
    @inlinable @inline(__always)
    internal static func neighborAlltoall(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Neighbor_alltoall", MPI_Neighbor_alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))
    }

    /// `MPI_Ineighbor_alltoall`.
    @inlinable @inline(__always)
    internal static func ineighborAlltoall(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ineighbor_alltoall", MPI_Ineighbor_alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request))
    }

    /// `MPI_Neighbor_alltoallv`.
    @inlinable @inline(__always)
    internal static func neighborAlltoallv(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ sdispls: UnsafePointer<CInt>?, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ rdispls: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Neighbor_alltoallv", MPI_Neighbor_alltoallv(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm))
    }

    /// `MPI_Ineighbor_alltoallv`.
    @inlinable @inline(__always)
    internal static func ineighborAlltoallv(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ sdispls: UnsafePointer<CInt>?, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ rdispls: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ineighbor_alltoallv", MPI_Ineighbor_alltoallv(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm, request))
    }

    /// `MPI_Neighbor_alltoallw`.
    @inlinable @inline(__always)
    internal static func neighborAlltoallw(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ sdispls: UnsafePointer<MPI_Aint>?, _ sendtypes: UnsafePointer<DatatypeHandle>?, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ rdispls: UnsafePointer<MPI_Aint>?, _ recvtypes: UnsafePointer<DatatypeHandle>?, _ comm: CommunicatorHandle) throws {
        try check("MPI_Neighbor_alltoallw", MPI_Neighbor_alltoallw(sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls, recvtypes, comm))
    }

    /// `MPI_Ineighbor_alltoallw`.
    @inlinable @inline(__always)
    internal static func ineighborAlltoallw(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ sdispls: UnsafePointer<MPI_Aint>?, _ sendtypes: UnsafePointer<DatatypeHandle>?, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ rdispls: UnsafePointer<MPI_Aint>?, _ recvtypes: UnsafePointer<DatatypeHandle>?, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ineighbor_alltoallw", MPI_Ineighbor_alltoallw(sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls, recvtypes, comm, request))
    }
}
