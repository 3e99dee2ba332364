# zsh -f zsh_complete.zsh CAPTURE LINE: type LINE and a Tab into an interactive zsh (in a pseudo-terminal, as a
# user's terminal is) that has sourced CAPTURE (zsh_capture.zsh); print each candidate and its shown line, one
# per line, separated by a tab. Gives up after about a minute without output.
zmodload zsh/zpty
zpty shell zsh -f -i
zpty -w shell "source ${(q)1}"
zpty -w -n shell "$2"$'\t'
screen=""
integer waits=0
while (( waits < 1200 )); do
  if zpty -r -t shell chunk; then
    screen+="$chunk"
    [[ $screen == *'<<finished>>'* ]] && break
  else
    (( waits++ ))
    sleep 0.05
  fi
done
zpty -d shell
print -r -- "$screen" | tr -d '\r' | sed -n 's/.*<<candidate>>\(.*\)<<end>>.*/\1/p'
(( waits < 1200 ))
