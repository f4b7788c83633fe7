#include "tern.h"

unsigned count_primes(unsigned limit) {
  unsigned count = 0;
  for (unsigned n = 2; n < limit; n++) {
    int prime = 1;
    for (unsigned d = 2; d * d <= n; d++) if (n % d == 0) { prime = 0; break; }
    count += prime;
  }
  return count;
}
