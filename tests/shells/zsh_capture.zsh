# Sourced by an interactive zsh that zsh_complete.zsh drives through a pseudo-terminal: sets up completion as
# README says (compinit, then kgraph's script), and prints each candidate zsh's completion system would offer,
# with the line it would show beside it, instead of drawing the menu. Only compadd is wrapped; the functions that
# call it (kgraph's script, _describe) are zsh's and kgraph's own.
PS1=""; PROMPT=""; RPROMPT=""
unsetopt beep
autoload -Uz compinit
compinit -u -D
eval "$(_KGRAPH_COMPLETE=zsh_source kgraph)"

compadd () {
  # A call that only collects matches into an array (-O, -A, -D) is zsh's own bookkeeping: pass it through.
  if (( $@[(I)-[OAD]] )); then
    builtin compadd "$@"
    return
  fi
  local -a matched shown
  local at=$@[(i)-d]
  if (( at < $# )); then  # -d names the array of the lines shown beside the candidates, or gives it as (...)
    local lines=$@[at+1]
    if [[ $lines == \(* ]]; then eval "shown=$lines"; else shown=("${(@P)lines}"); fi
  fi
  # Let zsh match the candidates against the word typed, keeping the shown lines of those that match.
  builtin compadd -A matched -D shown "$@"
  local i
  for i in {1..$#matched}; do
    print -r -- "<<candidate>>${matched[i]}"$'\t'"${shown[i]}<<end>>"
  done
}

_kgraph_test_done () { print -r -- "<<""finished>>"; }
comppostfuncs=(_kgraph_test_done)
