/* MPICH 4.0.2: MPI_Neighbor_alltoallw on a distributed graph where rank 0 only receives (from 1) and
 * rank 1 only sends (to 0) delivers nothing ("alltoallw got -1" at rank 0); the v form and Open MPI
 * 4.1.4 deliver 42. Run at 2 ranks: mpicc.mpich -o /tmp/w Tests/CChecks/neighbor-alltoallw-star.c &&
 * mpiexec.mpich -n 2 /tmp/w */
#include <mpi.h>
#include <stdio.h>
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv); int r; MPI_Comm_rank(MPI_COMM_WORLD, &r);
  int src[1] = {1}, dst[1] = {0}; MPI_Comm g;
  MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, r == 0 ? 1 : 0, src, MPI_UNWEIGHTED, r == 0 ? 0 : 1, dst, MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g);
  double s = 42, recv = -1; int one = 1; MPI_Aint zero = 0; MPI_Datatype t = MPI_DOUBLE; int zc = 0;
  MPI_Neighbor_alltoallw(&s, r == 0 ? &zc : &one, &zero, &t, &recv, r == 0 ? &one : &zc, &zero, &t, g);
  printf("rank %d alltoallw got %g\n", r, recv);
  recv = -1; int zd = 0;
  MPI_Neighbor_alltoallv(&s, r == 0 ? &zc : &one, &zd, MPI_DOUBLE, &recv, r == 0 ? &one : &zc, &zd, MPI_DOUBLE, g);
  printf("rank %d alltoallv got %g\n", r, recv);
  MPI_Finalize();
}
