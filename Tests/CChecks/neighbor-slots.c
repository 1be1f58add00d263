/* Build and run: mpicc -o /tmp/nbug Tests/CChecks/neighbor-slots.c && mpirun -n 1|2|3 /tmp/nbug
 * (or mpicc.mpich / mpiexec.mpich). Prints, for a periodic ring and a dist graph with
 * repeated edges, whether each neighbourhood all-to-all puts the blocks in the slots MPI 4.0
 * (errata of 3.1, mpi-forum/mpi-issues#153) requires. Measured 2026-12-03: Open MPI 4.1.4
 * MPI_Ineighbor_alltoall(v) WRONG on the ring at 1-2 ranks; MPICH 4.0.2 MPI_(I)neighbor_alltoallv
 * WRONG on the ring at 1-2 ranks, MPI_(I)neighbor_alltoall WRONG on the graph at 1-3 ranks. */
/* Which slot does each neighbour-alltoall block land in on topologies with repeated neighbours? */
#include <mpi.h>
#include <stdio.h>
static int run(MPI_Comm c, int indeg, int outdeg, int form, int nb, int *recv) {
  int send[16], sc[16], sd[16], rc[16], rd[16]; int r; MPI_Comm_rank(c, &r);
  for (int j = 0; j < outdeg; j++) { send[j] = r * 100 + j; sc[j] = 1; sd[j] = j; }
  for (int i = 0; i < indeg; i++) { recv[i] = -1; rc[i] = 1; rd[i] = i; }
  MPI_Request q;
  if (form == 0) { if (nb) { MPI_Ineighbor_alltoall(send, 1, MPI_INT, recv, 1, MPI_INT, c, &q); MPI_Wait(&q, MPI_STATUS_IGNORE);} else MPI_Neighbor_alltoall(send, 1, MPI_INT, recv, 1, MPI_INT, c); }
  else { if (nb) { MPI_Ineighbor_alltoallv(send, sc, sd, MPI_INT, recv, rc, rd, MPI_INT, c, &q); MPI_Wait(&q, MPI_STATUS_IGNORE);} else MPI_Neighbor_alltoallv(send, sc, sd, MPI_INT, recv, rc, rd, MPI_INT, c); }
  return 0;
}
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv); int size, rank; MPI_Comm_size(MPI_COMM_WORLD, &size); MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const char *names[2] = {"alltoall", "alltoallv"};
  /* ring: periodic 1-D Cartesian */
  int dims[1] = {size}, per[1] = {1}; MPI_Comm cart; MPI_Cart_create(MPI_COMM_WORLD, 1, dims, per, 0, &cart);
  for (int form = 0; form < 2; form++) for (int nb = 0; nb < 2; nb++) {
    int recv[2]; run(cart, 2, 2, form, nb, recv);
    int src, dst; MPI_Cart_shift(cart, 0, 1, &src, &dst);
    /* standard: slot 0 (from -1 neighbour src) holds src's block 1, slot 1 holds dst's block 0 */
    int ok = recv[0] == src * 100 + 1 && recv[1] == dst * 100 + 0;
    if (rank == 0) printf("cart size %d %s%s: %s (got %d %d)\n", size, nb ? "i" : "", names[form], ok ? "standard" : "WRONG", recv[0], recv[1]);
  }
  /* dist graph with duplicate edges: r -> r+1 twice */
  int d[2] = {(rank + 1) % size, (rank + 1) % size}, s[2] = {(rank + size - 1) % size, (rank + size - 1) % size};
  MPI_Comm g; MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 2, s, MPI_UNWEIGHTED, 2, d, MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g);
  for (int form = 0; form < 2; form++) for (int nb = 0; nb < 2; nb++) {
    int recv[2]; run(g, 2, 2, form, nb, recv);
    int ok = recv[0] == s[0] * 100 + 0 && recv[1] == s[0] * 100 + 1;
    if (rank == 0) printf("distgraph dup size %d %s%s: %s (got %d %d)\n", size, nb ? "i" : "", names[form], ok ? "standard" : "WRONG", recv[0], recv[1]);
  }
  MPI_Finalize(); return 0;
}
