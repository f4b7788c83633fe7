#include "tern.h"

unsigned count_words(const char *text) {
  unsigned words = 0;
  int in = 0;
  for (; *text; text++) {
    if (*text == ' ') in = 0;
    else if (!in) { in = 1; words++; }
  }
  return words;
}
