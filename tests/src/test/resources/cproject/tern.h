unsigned long fib(unsigned n);
unsigned count_primes(unsigned limit);
unsigned count_words(const char *text);
unsigned long checksum(const char *text);
