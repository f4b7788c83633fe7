#include <stdio.h>
#include "tern.h"

int main(void) {
  const char *text = "the gateway is the one stable address and the process does not care where it runs";
  printf("fib(40) = %lu\n", fib(40));
  printf("primes below 100000 = %u\n", count_primes(100000));
  printf("words = %u, checksum = %lu\n", count_words(text), checksum(text));
  return 0;
}
