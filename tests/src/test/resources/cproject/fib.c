#include "tern.h"

unsigned long fib(unsigned n) {
  unsigned long a = 0, b = 1;
  for (unsigned i = 0; i < n; i++) { unsigned long t = a + b; a = b; b = t; }
  return a;
}
